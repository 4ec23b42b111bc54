namespace ProxmoxLxc.Application.Common.Interfaces;

/// <summary>
/// Encrypts webhook signing secrets at rest (authenticated, bound to the webhook's id) with the service's webhook key;
/// the secret must be recoverable to sign deliveries.
/// </summary>
public interface IWebhookSecretProtector
{
    byte[] Protect(string webhookId, ReadOnlySpan<byte> secret);

    /// <summary>The secret's bytes; throws when the cipher was not made with this key for this webhook.</summary>
    byte[] Unprotect(string webhookId, byte[] cipher);
}

/// <summary>Where webhooks may send (no SSRF): <c>https://</c> to public addresses, or a host listed in <c>Webhooks:AllowedHosts</c>.</summary>
public interface IWebhookUrlPolicy
{
    /// <summary>Null when <paramref name="url"/> may be a webhook target now, else why not (safe to show the caller).</summary>
    Task<string?> RefusalAsync(Uri url, CancellationToken cancellationToken);
}

/// <summary>Wakes the webhook dispatcher of this instance at once (it also polls).</summary>
public interface IWebhookDispatchSignal
{
    void Wake();
}
