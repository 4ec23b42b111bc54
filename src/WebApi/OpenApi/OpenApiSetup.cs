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

    public static void UseOpenApiDocumentAndUi(this IApplicationBuilder app)
    {
        // The document names its server relatively ("/"), so the served bytes do not depend on the request's host.
        app.UseOpenApi(settings => settings.PostProcess = (document, _) =>
        {
            document.Servers.Clear();
            document.Servers.Add(new OpenApiServer { Url = "/", Description = "This service (same origin as the document)." });
        });
        app.UseSwaggerUi(settings =>
        {
            settings.DocumentTitle = "ProxmoxLxc API";
            settings.PersistAuthorization = false;
            settings.EnableTryItOut = true;
            settings.DocExpansion = "list";
        });
    }
}
