using FluentValidation;
using FluentValidation.Internal;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using ProxmoxLxc.Application.Common.Behaviors;

namespace ProxmoxLxc.Application;

public static class DependencyInjection
{
    /// <summary>Registers the mediator (pipeline: Audit → Authorization → Validation → Idempotency → ContainerRelocation → handler) and the validators.</summary>
    public static IServiceCollection AddApplication(this IServiceCollection services)
    {
        services.AddMediator((MediatorOptions options) =>
        {
            options.ServiceLifetime = ServiceLifetime.Scoped;
            options.Assemblies = [typeof(DependencyInjection)];
            options.PipelineBehaviors = [typeof(AuditBehavior<,>), typeof(AuthorizationBehavior<,>), typeof(ValidationBehavior<,>), typeof(IdempotencyBehavior<,>), typeof(Containers.ContainerRelocationBehavior<,>)];
        });
        // Messages and error keys name fields as callers send them (JSON names, e.g. "vmid"), not as .NET members.
        ValidatorOptions.Global.DisplayNameResolver = (_, member, _) => member is null ? null : FieldPath.JsonNameOf(member);
        ValidatorOptions.Global.PropertyNameResolver = (_, member, expression) =>
            member is not null ? FieldPath.JsonNameOf(member)
            : expression is not null && PropertyChain.FromExpression(expression) is { Count: > 0 } chain ? chain.ToString()
            : null;
        // Singletons: a validator's rules are built once, in its constructor (FluentValidation compiles an accessor per
        // rule), and are immutable and thread-safe after that. Scoped, every mutating call built its validator again (on
        // create+start, 12 % of the call's allocations and a stream of compiled delegates for the finalizer). Validators
        // take singletons only (TimeProvider) and read the clock when they run.
        services.AddValidatorsFromAssembly(typeof(DependencyInjection).Assembly, ServiceLifetime.Singleton, includeInternalTypes: true);
        services.AddSingleton(TimeProvider.System);
        services.AddScoped<Containers.ContainerLocator>();
        services.AddScoped<Containers.ContainerDetailsReader>();
        services.AddScoped<Containers.ContainerCommandSteps>();
        services.AddScoped<Containers.ContainerPlacement>();
        services.AddScoped<Common.Interfaces.IOperationRecorder, Operations.OperationRecorder>();
        services.AddScoped<Common.Interfaces.IOperationWaiter, Operations.OperationWaiter>();
        services.AddScoped<Operations.OperationVisibility>();
        services.AddScoped<Operations.DetachedCall>();
        services.AddSingleton<Containers.Commands.RunBatchAction.BatchRunner>();
        services.AddScoped<Webhooks.WebhookAccess>();
        services.AddOptions<Operations.OperationTrackingOptions>();
        return services;
    }
}
