using NSwag;
using NSwag.Generation.AspNetCore;
using NSwag.Generation.Processors.Security;
using ProxmoxLxc.WebApi.Authentication;

namespace ProxmoxLxc.WebApi.OpenApi;

/// <summary>The OpenAPI document (<c>/swagger/v1/swagger.json</c>) and Swagger UI (<c>/swagger</c>).</summary>
internal static class OpenApiSetup
{
    public const string DocumentName = "v1";

    public static void Configure(AspNetCoreOpenApiDocumentGeneratorSettings document)
    {
        document.DocumentName = DocumentName;
        document.Title = "ProxmoxLxc API";
        document.Version = "v1";
        document.AddSecurity(ApiKeyAuthenticationHandler.SchemeName, new OpenApiSecurityScheme
        {
            Type = OpenApiSecuritySchemeType.ApiKey,
            Name = ApiKeyAuthenticationHandler.HeaderName,
            In = OpenApiSecurityApiKeyLocation.Header,
            Description = "An API key, `pxl_<keyId>_<secret>`, shown once when it is created or rotated.",
        });
        document.OperationProcessors.Add(new AspNetCoreOperationSecurityScopeProcessor(ApiKeyAuthenticationHandler.SchemeName));
        document.OperationProcessors.Add(new OperationConventionsProcessor());
        document.OperationProcessors.Add(new HeadersAndProblemsProcessor());
        document.DocumentProcessors.Add(new DocumentConventionsProcessor());
    }

    /// <summary>
    /// The document and the UI under <c>/swagger</c>, in a branch built on the first request for them: the generator
    /// (NSwag, NJsonSchema, Newtonsoft.Json) is then set up on that request instead of at every start, and an instance
    /// that is never asked for its document never loads it. Other requests pass by; one under <c>/swagger</c> that
    /// neither serves goes on down the pipeline as before.
    /// </summary>
    public static void UseOpenApiDocumentAndUi(this IApplicationBuilder app)
    {
        var branch = new Lazy<RequestDelegate>(() => BuildBranch(app.New()), LazyThreadSafetyMode.ExecutionAndPublication);
        app.Use((context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments(PathPrefix, StringComparison.OrdinalIgnoreCase))
            {
                return next(context);
            }

            context.Items[ContinueKey] = next;
            return branch.Value(context);
        });
    }

    private const string PathPrefix = "/swagger";

    /// <summary>Where the branch finds the rest of the main pipeline for a request it does not serve.</summary>
    private static readonly object ContinueKey = new();

    private static RequestDelegate BuildBranch(IApplicationBuilder docs)
    {
        // The document names its server relatively ("/"), so the served bytes do not depend on the request's host.
        docs.UseOpenApi(settings => settings.PostProcess = (document, _) =>
        {
            document.Servers.Clear();
            document.Servers.Add(new OpenApiServer { Url = "/", Description = "This service (same origin as the document)." });
        });
        docs.UseSwaggerUi(settings =>
        {
            settings.DocumentTitle = "ProxmoxLxc API";
            settings.PersistAuthorization = false;
            settings.EnableTryItOut = true;
            settings.DocExpansion = "list";
        });
        docs.Run(context => ((RequestDelegate)context.Items[ContinueKey]!)(context));
        return docs.Build();
    }
}
