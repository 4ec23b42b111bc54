using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Moq;
using ProxmoxLxc.Application.ApiKeys.Commands.CreateApiKey;
using ProxmoxLxc.Application.ApiKeys.Queries.ListApiKeys;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Application.Operations;
using ProxmoxLxc.Application.UnitTests.Common;
using ProxmoxLxc.Domain.ApiKeys;
using ProxmoxLxc.Domain.Operations;

namespace ProxmoxLxc.Application.UnitTests.Behaviors;

/// <summary>The real source-generated mediator with the real behaviors: proves Audit → Authorization → Validation → handler.</summary>
public class PipelineTests
{
    private TestDatabase _database = null!;
    private RecordingOperationLogStore _store = null!;

    [SetUp]
    public void SetUp()
    {
        _database = new TestDatabase();
        _store = new RecordingOperationLogStore();
    }

    [TearDown]
    public void TearDown() => _database.Dispose();

    private ServiceProvider Services(CallerIdentity caller)
    {
        var services = new ServiceCollection();
        services.AddApplication();
        services.AddScoped<IApplicationDbContext>(_ => _database.NewContext());
        services.AddSingleton<IOperationLogStore>(_store);
        services.AddScoped(_ => Mock.Of<IRequestContext>(r => r.RequestId == "req-1" && r.Method == "POST" && r.Path == "/api/v1/keys"));
        services.AddSingleton(TestCallers.Current(caller));
        var secrets = new Mock<IApiKeySecrets>();
        secrets.Setup(s => s.Generate()).Returns(new GeneratedApiKey("NewKeyId0001", "pxl_NewKeyId0001_plaintextsecret", new byte[32]));
        services.TryAddSingleton(secrets.Object);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    /// <summary>The row as the recorder left it when the call ended.</summary>
    private OperationLog _entry => _store.Row ?? throw new InvalidOperationException("No row was written.");

    /// <summary>The direct writes of the row, with its outcome at each.</summary>
    private List<OperationOutcome> _saves => _store.Writes;

    /// <summary>Sends in a scope of its own and ends the call afterwards, as the HTTP middleware does.</summary>
    private static async Task<TResponse> SendAsync<TResponse>(ServiceProvider provider, ICommand<TResponse> command)
    {
        await using var scope = provider.CreateAsyncScope();
        try
        {
            return await scope.ServiceProvider.GetRequiredService<ISender>().Send(command);
        }
        finally
        {
            await scope.ServiceProvider.GetRequiredService<IOperationRecorder>().EndAsync(CallEnd.Unanswered);
        }
    }

    [Test]
    public async Task Send_CallerWithoutScopeAndInvalidCommand_IsForbiddenAndAuditedWithoutRevealingValidation()
    {
        await using var provider = Services(TestCallers.With(Scopes.ContainersRead));

        var ex = Assert.ThrowsAsync<ForbiddenException>(async () =>
            await SendAsync(provider, new CreateApiKeyCommand("", ["not-a-scope"])));

        await using var db = _database.NewContext();
        Assert.Multiple(async () =>
        {
            Assert.That(ex!.RequiredScope, Is.EqualTo(Scopes.KeysAdmin));
            Assert.That(_entry.Outcome, Is.EqualTo(OperationOutcome.Rejected));
            Assert.That(_entry.ErrorCode, Is.EqualTo("insufficient_scope"));
            Assert.That(_entry.Action, Is.EqualTo("CreateApiKey"));
            Assert.That(_saves, Is.EqualTo(new[] { OperationOutcome.Rejected }), "a call that never targets a container is written once, when it ends");
            Assert.That(await db.ApiKeys.CountAsync(), Is.Zero);
        });
    }

    [Test]
    public async Task Send_CallerWithScopeAndInvalidCommand_FailsValidationWithJsonPathsBeforeTheHandler()
    {
        await using var provider = Services(TestCallers.With(Scopes.Admin));

        var ex = Assert.ThrowsAsync<RequestValidationException>(async () =>
            await SendAsync(provider, new CreateApiKeyCommand("", ["not-a-scope"], VmIdRange: new(50, 10))));

        await using var db = _database.NewContext();
        Assert.Multiple(async () =>
        {
            Assert.That(ex!.Errors.Keys, Is.SupersetOf(new[] { "name", "scopes", "vmidRange.min", "vmidRange.max" }));
            Assert.That(_entry.Outcome, Is.EqualTo(OperationOutcome.Rejected));
            Assert.That(_entry.ErrorCode, Is.EqualTo("validation_failed"));
            Assert.That(_saves, Is.EqualTo(new[] { OperationOutcome.Rejected }), "a call that never targets a container is written once, when it ends");
            Assert.That(await db.ApiKeys.CountAsync(), Is.Zero);
        });
    }

    [Test]
    public async Task Send_ValidCommand_RunsTheHandlerAndAuditsSuccessWithoutThePlaintext()
    {
        await using var provider = Services(TestCallers.With(Scopes.Admin));

        var created = await SendAsync(provider, new CreateApiKeyCommand("ci", [Scopes.ContainersRead]));

        await using var db = _database.NewContext();
        var stored = await db.ApiKeys.SingleAsync();
        Assert.Multiple(() =>
        {
            Assert.That(created.Key, Is.EqualTo("pxl_NewKeyId0001_plaintextsecret"));
            Assert.That(stored.Id, Is.EqualTo("NewKeyId0001"));
            Assert.That(stored.CreatedBy, Is.EqualTo("key000000001"));
            Assert.That(_entry.Outcome, Is.EqualTo(OperationOutcome.Succeeded));
            Assert.That(_entry.Parameters, Does.Not.Contain("plaintextsecret"));
            Assert.That(_saves, Is.EqualTo(new[] { OperationOutcome.Succeeded }), "a call that never targets a container is written once, when it ends");
        });
    }

    [Test]
    public async Task Send_Query_IsAuditedWithoutADirectWrite()
    {
        await using var provider = Services(TestCallers.With(Scopes.KeysAdmin));
        await using var scope = provider.CreateAsyncScope();

        var page = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new ListApiKeysQuery());
        await scope.ServiceProvider.GetRequiredService<IOperationRecorder>().EndAsync(CallEnd.Unanswered);

        Assert.Multiple(() =>
        {
            Assert.That(page.Items, Is.Empty);
            Assert.That(_entry.Action, Is.EqualTo("ListApiKeys"));
            Assert.That(_entry.IsMutating, Is.False);
            Assert.That(_entry.Outcome, Is.EqualTo(OperationOutcome.Succeeded));
            Assert.That(_saves, Is.Empty);
        });
    }

    [Test]
    public async Task Send_QueryWithoutScope_IsRejectedByAuthorization()
    {
        await using var provider = Services(TestCallers.With(Scopes.ContainersRead));
        await using var scope = provider.CreateAsyncScope();
        var sender = scope.ServiceProvider.GetRequiredService<ISender>();

        Assert.ThrowsAsync<ForbiddenException>(async () => await sender.Send(new ListApiKeysQuery(Limit: 0)));
        await scope.ServiceProvider.GetRequiredService<IOperationRecorder>().EndAsync(CallEnd.Unanswered);

        Assert.That(_entry.ErrorCode, Is.EqualTo("insufficient_scope"));
    }

    [Test]
    public async Task Validators_AreBuiltOncePerProcess_AndStillValidateInEveryScope()
    {
        await using var provider = Services(TestCallers.With(Scopes.KeysAdmin));
        var validatorTypes = typeof(DependencyInjection).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(FluentValidation.IValidator<>)))
            .ToList();
        var descriptors = new ServiceCollection().AddApplication()
            .Where(d => d.ImplementationType is { } type && validatorTypes.Contains(type))
            .ToList();

        await using (var first = provider.CreateAsyncScope())
        await using (var second = provider.CreateAsyncScope())
        {
            var one = first.ServiceProvider.GetRequiredService<FluentValidation.IValidator<CreateApiKeyCommand>>();
            var other = second.ServiceProvider.GetRequiredService<FluentValidation.IValidator<CreateApiKeyCommand>>();
            Assert.That(other, Is.SameAs(one));
        }

        // The shared validator still rejects in a later call: rules hold no per-call state.
        Assert.ThrowsAsync<RequestValidationException>(async () => await SendAsync(provider, new CreateApiKeyCommand("", ["not-a-scope"])));
        Assert.ThrowsAsync<RequestValidationException>(async () => await SendAsync(provider, new CreateApiKeyCommand("", ["not-a-scope"])));
        Assert.Multiple(() =>
        {
            Assert.That(validatorTypes, Has.Count.GreaterThan(20));
            Assert.That(descriptors.Select(d => d.ImplementationType).Distinct().Count(), Is.EqualTo(validatorTypes.Count));
            Assert.That(descriptors.Select(d => d.Lifetime), Is.All.EqualTo(ServiceLifetime.Singleton));
        });
    }
}
