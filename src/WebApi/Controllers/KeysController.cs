using Mediator;
using Microsoft.AspNetCore.Mvc;
using ProxmoxLxc.Application.ApiKeys;
using ProxmoxLxc.Application.ApiKeys.Commands.CreateApiKey;
using ProxmoxLxc.Application.ApiKeys.Commands.RevokeApiKey;
using ProxmoxLxc.Application.ApiKeys.Commands.RotateApiKey;
using ProxmoxLxc.Application.ApiKeys.Commands.UpdateApiKey;
using ProxmoxLxc.Application.ApiKeys.Queries.GetApiKey;
using ProxmoxLxc.Application.ApiKeys.Queries.ListApiKeys;
using ProxmoxLxc.Application.Common.Models;
using ProxmoxLxc.WebApi.OpenApi;

namespace ProxmoxLxc.WebApi.Controllers;

/// <summary>API keys (scope <c>keys:admin</c>).</summary>
[Route("api/v1/keys")]
[Tags("Keys")]
public sealed class KeysController(ISender sender) : ApiControllerBase(sender)
{
    /// <summary>Create a key. The plaintext key is in the response, and only there.</summary>
    [HttpPost(Name = "Keys_Create")]
    [NoIdempotencyKey]
    [ProducesResponseType(typeof(CreatedApiKeyDto), StatusCodes.Status201Created)]
    [ProducesResponseType(typeof(HttpValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<ActionResult<CreatedApiKeyDto>> Create(CreateApiKeyCommand command, CancellationToken cancellationToken)
    {
        var created = await Sender.Send(command, cancellationToken);
        return CreatedAtRoute("Keys_Get", new { id = created.Metadata.Id }, created);
    }

    /// <summary>List keys (metadata only).</summary>
    [HttpGet(Name = "Keys_List")]
    [ProducesResponseType(typeof(Page<ApiKeyDto>), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(HttpValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<Page<ApiKeyDto>> List([FromQuery] int? limit, [FromQuery] string? cursor, CancellationToken cancellationToken) =>
        await Sender.Send(new ListApiKeysQuery(limit, cursor), cancellationToken);

    /// <summary>One key's metadata.</summary>
    [HttpGet("{id}", Name = "Keys_Get")]
    [ProducesResponseType(typeof(ApiKeyDto), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<ApiKeyDto> Get(string id, CancellationToken cancellationToken) =>
        await Sender.Send(new GetApiKeyQuery(id), cancellationToken);

    /// <summary>Change name, scopes, enabled or expiry.</summary>
    [HttpPatch("{id}", Name = "Keys_Update")]
    [ProducesResponseType(typeof(ApiKeyDto), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(HttpValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status409Conflict, "application/problem+json")]
    public async Task<ApiKeyDto> Update(string id, UpdateApiKeyCommand command, CancellationToken cancellationToken) =>
        await Sender.Send(command with { Id = id }, cancellationToken);

    /// <summary>Issue a new secret; the old one stops working at once.</summary>
    [HttpPost("{id}/rotate", Name = "Keys_Rotate")]
    [NoIdempotencyKey]
    [ProducesResponseType(typeof(CreatedApiKeyDto), StatusCodes.Status201Created)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status409Conflict, "application/problem+json")]
    public async Task<ActionResult<CreatedApiKeyDto>> Rotate(string id, CancellationToken cancellationToken)
    {
        var rotated = await Sender.Send(new RotateApiKeyCommand(id), cancellationToken);
        return CreatedAtRoute("Keys_Get", new { id }, rotated);
    }

    /// <summary>Revoke a key (kept for the audit trail).</summary>
    [HttpDelete("{id}", Name = "Keys_Revoke")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status409Conflict, "application/problem+json")]
    public async Task<IActionResult> Revoke(string id, CancellationToken cancellationToken)
    {
        await Sender.Send(new RevokeApiKeyCommand(id), cancellationToken);
        return NoContent();
    }
}
