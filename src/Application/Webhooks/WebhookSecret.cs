using System.Security.Cryptography;

namespace ProxmoxLxc.Application.Webhooks;

/// <summary>Signing secrets in the Standard Webhooks form: <c>whsec_</c> + base64 of the key bytes.</summary>
public static class WebhookSecret
{
    public const string Prefix = "whsec_";
    public const int GeneratedBytes = 32;
    public const int MinBytes = 24;
    public const int MaxBytes = 64;

    /// <summary>A new random secret: its text (shown once) and its bytes (the HMAC key).</summary>
    public static (string Text, byte[] Bytes) Generate()
    {
        var bytes = RandomNumberGenerator.GetBytes(GeneratedBytes);
        return (Format(bytes), bytes);
    }

    public static string Format(byte[] bytes) => Prefix + Convert.ToBase64String(bytes);

    /// <summary>The key bytes of a given secret; false unless it is <c>whsec_</c> + base64 of 24–64 bytes.</summary>
    public static bool TryParse(string? text, out byte[] bytes)
    {
        bytes = [];
        if (text is null || !text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var encoded = text[Prefix.Length..];
        var buffer = new byte[(encoded.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(encoded, buffer, out var written) || written is < MinBytes or > MaxBytes)
        {
            return false;
        }

        bytes = buffer[..written];
        return true;
    }
}
