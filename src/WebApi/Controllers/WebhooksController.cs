using Mediator;
using Microsoft.AspNetCore.Mvc;
using ProxmoxLxc.Application.Common.Models;
using ProxmoxLxc.Application.Webhooks;
using ProxmoxLxc.Application.Webhooks.Commands.CreateWebhook;
using ProxmoxLxc.Application.Webhooks.Commands.DeleteWebhook;
using ProxmoxLxc.Application.Webhooks.Commands.TestWebhook;
using ProxmoxLxc.Application.Webhooks.Commands.UpdateWebhook;
using ProxmoxLxc.Application.Webhooks.Queries.GetWebhook;
using ProxmoxLxc.Application.Webhooks.Queries.ListWebhookDeliveries;
using ProxmoxLxc.Application.Webhooks.Queries.ListWebhooks;
using ProxmoxLxc.WebApi.OpenApi;

namespace ProxmoxLxc.WebApi.Controllers;

/// <summary>Webhooks (scope <c>webhooks:admin</c>): signed deliveries of the events the owning key may see.</summary>
[Route("api/v1/webhooks")]
[Tags("Webhooks")]
public sealed class WebhooksController(ISender sender) : ApiControllerBase(sender)
{
    /// <summary>Register a webhook. The signing secret (generated when not given) is in the response, and only there.</summary>
    /// <remarks>
    /// The URL must be `https://` unless its host is listed in `Webhooks__AllowedHosts`, and its host must not resolve to a
    /// private, shared, loopback, link-local, unspecified or multicast address (400 `webhook_url_refused`). Deliveries follow
    /// the Standard Webhooks specification: headers `webhook-id` (the same on every retry), `webhook-timestamp` (Unix seconds)
    /// and `webhook-signature` (`v1,` + base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` keyed with the
    /// base64-decoded part of the secret after `whsec_`); body `{type, timestamp, data}`.
    /// </remarks>
    [HttpPost(Name = "Webhooks_Create")]
    [NoIdempotencyKey]
    [ProducesResponseType(typeof(CreatedWebhookDto), StatusCodes.Status201Created)]
    [ProducesResponseType(typeof(HttpValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<ActionResult<CreatedWebhookDto>> Create(CreateWebhookCommand command, CancellationToken cancellationToken)
    {
        var created = await Sender.Send(command, cancellationToken);
        return CreatedAtRoute("Webhooks_Get", new { id = created.Webhook.Id }, created);
    }

    /// <summary>List the webhooks of this key (and of keys it manages).</summary>
    [HttpGet(Name = "Webhooks_List")]
    [ProducesResponseType(typeof(Page<WebhookDto>), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(HttpValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<Page<WebhookDto>> List([FromQuery] int? limit, [FromQuery] string? cursor, CancellationToken cancellationToken) =>
        await Sender.Send(new ListWebhooksQuery(limit, cursor), cancellationToken);

    /// <summary>One webhook (never its secret).</summary>
    [HttpGet("{id}", Name = "Webhooks_Get")]
    [ProducesResponseType(typeof(WebhookDto), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<WebhookDto> Get(string id, CancellationToken cancellationToken) =>
        await Sender.Send(new GetWebhookQuery(id), cancellationToken);

    /// <summary>Change url, events, secret or enabled; `enabled: true` also re-enables a webhook the service disabled.</summary>
    [HttpPatch("{id}", Name = "Webhooks_Update")]
    [ProducesResponseType(typeof(WebhookDto), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(HttpValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<WebhookDto> Update(string id, UpdateWebhookCommand command, CancellationToken cancellationToken) =>
        await Sender.Send(command with { Id = id }, cancellationToken);

    /// <summary>Delete a webhook and its delivery history.</summary>
    [HttpDelete("{id}", Name = "Webhooks_Delete")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Delete(string id, CancellationToken cancellationToken)
    {
        await Sender.Send(new DeleteWebhookCommand(id), cancellationToken);
        return NoContent();
    }

    /// <summary>A webhook's deliveries, newest first: attempts, status, the endpoint's answer and the last error.</summary>
    [HttpGet("{id}/deliveries", Name = "Webhooks_ListDeliveries")]
    [ProducesResponseType(typeof(Page<WebhookDeliveryDto>), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(HttpValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<Page<WebhookDeliveryDto>> ListDeliveries(string id, [FromQuery] int? limit, [FromQuery] string? cursor, CancellationToken cancellationToken) =>
        await Sender.Send(new ListWebhookDeliveriesQuery(id, limit, cursor), cancellationToken);

    /// <summary>Queue a `webhook.test` message to this webhook; it is delivered like any event (signed, retried, in order).</summary>
    /// <remarks>Answers 201 with the queued delivery; follow it in `GET /webhooks/{id}/deliveries` (the `Location`).</remarks>
    [HttpPost("{id}/test", Name = "Webhooks_Test")]
    [NoIdempotencyKey]
    [ProducesResponseType(typeof(WebhookDeliveryDto), StatusCodes.Status201Created)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status409Conflict, "application/problem+json")]
    public async Task<ActionResult<WebhookDeliveryDto>> Test(string id, CancellationToken cancellationToken)
    {
        var delivery = await Sender.Send(new TestWebhookCommand(id), cancellationToken);
        return CreatedAtRoute("Webhooks_ListDeliveries", new { id }, delivery);
    }
}
