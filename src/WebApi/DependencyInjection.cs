using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.WebApi.Authentication;
using ProxmoxLxc.WebApi.ErrorHandling;
using ProxmoxLxc.WebApi.Hosting;
using ProxmoxLxc.WebApi.OpenApi;

namespace ProxmoxLxc.WebApi;

internal static class DependencyInjection
{
    private const string DataProtectionStartup = "Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService";

    public static IServiceCollection AddWebApi(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.Configure<KestrelServerOptions>(o => o.AddServerHeader = false);
        services.AddScoped<ICurrentCaller, HttpCurrentCaller>();
        services.AddScoped<IRequestContext, HttpRequestContext>();

        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        // Nothing here protects data with ASP.NET Core Data Protection (keys are hashed, webhook secrets sealed with a key
        // of their own): without its start-up service the key ring AddAuthentication registered is not created and
        // loaded at every start (XML files under the user's profile; ~3 MiB of XML assemblies and start-up time).
        // Anything that asked for it would still get it, created on first use.
        foreach (var keyRingStart in services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.FullName == DataProtectionStartup).ToList())
        {
            services.Remove(keyRingStart);
        }

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser().Build());

        services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemDetailsSetup.Customize);
        services.AddExceptionHandler<AppExceptionHandler>();

        services.AddControllers(o =>
            {
                // A JSON API: nothing binds from a form. Without these a form body is still parsed for binding, and a
                // malformed key ("a[b" — MVC's jQuery syntax) throws instead of ending in 415 for the JSON body.
                o.ValueProviderFactories.RemoveType<FormValueProviderFactory>();
                o.ValueProviderFactories.RemoveType<JQueryFormValueProviderFactory>();
                o.ValueProviderFactories.RemoveType<FormFileValueProviderFactory>();
                o.ModelBinderProviders.Insert(0, new QueryIntArrayModelBinderProvider());
                o.OutputFormatters.Insert(0, new GeneratedJsonOutputFormatter());
            })
            .AddJsonOptions(o =>
            {
                o.JsonSerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase));
                o.JsonSerializerOptions.Converters.Add(new FiniteDoubleConverter());
                o.JsonSerializerOptions.Converters.Add(new FiniteSingleConverter());
                o.JsonSerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
                // A member given twice, or under another spelling ("Scopes"), is refused rather than silently bound.
                o.JsonSerializerOptions.AllowDuplicateProperties = false;
                o.JsonSerializerOptions.PropertyNameCaseInsensitive = false;
                o.JsonSerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
            })
            .ConfigureApiBehaviorOptions(o => o.InvalidModelStateResponseFactory = ProblemDetailsSetup.InvalidModelState);

        services.AddOpenApiDocument(OpenApiSetup.Configure);
        return services;
    }
}
