namespace ProxmoxLxc.Application.Common.Interfaces;

/// <summary>A freshly generated key: the plaintext is shown once and never stored.</summary>
public sealed record GeneratedApiKey(string KeyId, string Plaintext, byte[] SecretHash);

/// <summary>Key generation, parsing and hashing (<c>pxl_&lt;keyId&gt;_&lt;secret&gt;</c>).</summary>
public interface IApiKeySecrets
{
    GeneratedApiKey Generate();

    /// <summary>A new secret for an existing key id.</summary>
    GeneratedApiKey Regenerate(string keyId);

    /// <summary>Parses a plaintext key; false when it is malformed.</summary>
    bool TryParse(string? plaintext, out string keyId, out string secret);

    byte[] Hash(string secret);

    /// <summary>Constant-time comparison of a presented secret with a stored hash.</summary>
    bool Verify(string secret, byte[] storedHash);
}
