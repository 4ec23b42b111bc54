using Microsoft.EntityFrameworkCore;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Domain.ApiKeys;
using ProxmoxLxc.Domain.Webhooks;

namespace ProxmoxLxc.Application.Webhooks;

/// <summary>
/// Who may see and change a webhook: the key that made it, and a key that may manage that key (it holds
/// <c>keys:admin</c> and covers the owner's authority: it could rotate or revoke the owner anyway). Anyone else gets 404.
/// </summary>
internal sealed class WebhookAccess(IApplicationDbContext db, ICurrentCaller currentCaller, IWebhookUrlPolicy urlPolicy)
{
    public CallerIdentity Caller => currentCaller.Caller ?? throw new ForbiddenException(Scopes.WebhooksAdmin);

    public async Task<Webhook> FindAsync(string id, CancellationToken cancellationToken)
    {
        var caller = Caller;
        var webhook = await db.Webhooks.FirstOrDefaultAsync(w => w.Id == id, cancellationToken);
        if (webhook is null || !await MayManageAsync(caller, webhook.OwnerKeyId, cancellationToken))
        {
            throw new NotFoundException(ErrorCodes.WebhookNotFound, $"Webhook '{id}' was not found.");
        }

        return webhook;
    }

    /// <summary>Ids of the keys whose webhooks the caller sees: its own and, with keys:admin, every key it covers.</summary>
    public async Task<IReadOnlyList<string>> VisibleOwnersAsync(CancellationToken cancellationToken)
    {
        var caller = Caller;
        if (!caller.Has(Scopes.KeysAdmin))
        {
            return [caller.KeyId];
        }

        var keys = await db.ApiKeys.AsNoTracking().ToListAsync(cancellationToken);
        return [.. keys.Where(k => k.Id == caller.KeyId || caller.Authority.Covers(k.Authority)).Select(k => k.Id)];
    }

    /// <summary>The URL as a target: 400 <c>webhook_url_refused</c> when the address policy refuses it.</summary>
    public async Task<string> CheckUrlAsync(string text, CancellationToken cancellationToken)
    {
        if (!WebhookRules.TryParseUrl(text, out var url))
        {
            throw Refused("'url' must be an absolute http(s) URL without user information or fragment.");
        }

        if (await urlPolicy.RefusalAsync(url, cancellationToken) is { } reason)
        {
            throw Refused(reason);
        }

        return url.AbsoluteUri;
    }

    private static RequestValidationException Refused(string reason) =>
        new(new Dictionary<string, string[]> { ["url"] = [reason] }, 400, ErrorCodes.WebhookUrlRefused, "The webhook URL is not allowed.");

    private async Task<bool> MayManageAsync(CallerIdentity caller, string ownerKeyId, CancellationToken cancellationToken)
    {
        if (ownerKeyId == caller.KeyId)
        {
            return true;
        }

        if (!caller.Has(Scopes.KeysAdmin))
        {
            return false;
        }

        var owner = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Id == ownerKeyId, cancellationToken);
        return owner is not null && caller.Authority.Covers(owner.Authority);
    }
}
