using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ProxmoxEmulator;

/// <summary>Hosting helpers to run the emulator inside any ASP.NET Core app.</summary>
public static class EmulatorEndpointExtensions
{
    /// <summary>Registers an <see cref="EmulatorEngine"/> singleton built from <paramref name="options"/>.</summary>
    public static IServiceCollection AddProxmoxEmulator(this IServiceCollection services, EmulatorOptions? options = null)
    {
        services.AddSingleton(_ => new EmulatorEngine(options));
        return services;
    }

    /// <summary>Maps <c>/api2/json/{**path}</c> and <c>/_emulator/{**path}</c> to the registered engine.</summary>
    public static IEndpointConventionBuilder MapProxmoxEmulator(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var engine = endpoints.ServiceProvider.GetRequiredService<EmulatorEngine>();
        var group = endpoints.MapGroup("");
        group.Map("/api2/json/{**path}", engine.HandleAsync);
        group.Map("/_emulator/{**path}", engine.HandleAsync);
        return group;
    }
}
