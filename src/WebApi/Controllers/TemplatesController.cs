using Mediator;
using Microsoft.AspNetCore.Mvc;
using ProxmoxLxc.Application.Common.Models;
using ProxmoxLxc.Application.Templates;
using ProxmoxLxc.Application.Templates.Queries.ListTemplates;

namespace ProxmoxLxc.WebApi.Controllers;

/// <summary>Container templates (scope <c>containers:read</c>).</summary>
[Route("api/v1/templates")]
[Tags("Templates")]
[ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status502BadGateway, "application/problem+json")]
[ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
[ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status504GatewayTimeout, "application/problem+json")]
public sealed class TemplatesController(ISender sender) : ApiControllerBase(sender)
{
    /// <summary>Templates on the online nodes the key may see, optionally on one node and/or storage.</summary>
    [HttpGet(Name = "Templates_List")]
    [ProducesResponseType(typeof(Page<TemplateDto>), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(HttpValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<Page<TemplateDto>> List([FromQuery] string? node, [FromQuery] string? storage, CancellationToken cancellationToken) =>
        await Sender.Send(new ListTemplatesQuery(node, storage), cancellationToken);
}
