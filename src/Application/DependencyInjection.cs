using System.Text.Json;
using FluentValidation;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using ProxmoxLxc.Application.Common.Behaviors;

namespace ProxmoxLxc.Application;

public static class DependencyInjection
{
    /// <summary>Registers the mediator (pipeline: Audit → Authorization → Validation → Idempotency → handler) and the validators.</summary>
    public static IServiceCollection AddApplication(this IServiceCollection services)
    {
        services.AddMediator((MediatorOptions options) =>
        {
            options.ServiceLifetime = ServiceLifetime.Scoped;
            options.Assemblies = [typeof(DependencyInjection)];
            options.PipelineBehaviors = [typeof(AuditBehavior<,>), typeof(AuthorizationBehavior<,>), typeof(ValidationBehavior<,>), typeof(IdempotencyBehavior<,>)];
        });
        // Messages name fields as callers send them (camelCase JSON), not as .NET members.
        ValidatorOptions.Global.DisplayNameResolver = (_, member, _) =>
            member is null ? null : JsonNamingPolicy.CamelCase.ConvertName(member.Name);
        services.AddValidatorsFromAssembly(typeof(DependencyInjection).Assembly, ServiceLifetime.Scoped, includeInternalTypes: true);
        services.AddSingleton(TimeProvider.System);
        services.AddScoped<Containers.ContainerLocator>();
        services.AddScoped<Containers.ContainerDetailsReader>();
        services.AddScoped<Containers.ContainerOperations>();
        services.AddScoped<Containers.ContainerPlacement>();
        services.AddScoped<Common.Interfaces.IOperationWaiter, Operations.OperationWaiter>();
        services.AddOptions<Operations.OperationTrackingOptions>();
        return services;
    }
}
