using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ProxmoxLxc.Infrastructure.Proxmox;

/// <summary>Server certificate policy: system trust, a pinned SHA-256 fingerprint (host name ignored), or none.</summary>
internal static class CertificateValidation
{
    public static RemoteCertificateValidationCallback? CreateCallback(ProxmoxOptions options)
    {
        if (options.SkipCertificateValidation)
        {
            // Explicit operator choice (Proxmox:SkipCertificateValidation), warned about at start-up.
#pragma warning disable CA5359
            return static (_, _, _, _) => true;
#pragma warning restore CA5359
        }

        var pinned = NormalizeFingerprint(options.CertificateFingerprint);
        if (pinned is null)
            return null; // default: system trust store and host name check

        return (_, certificate, _, _) => certificate is not null && Matches(certificate, pinned);
    }

    public static bool Matches(X509Certificate certificate, string normalizedFingerprint) =>
        string.Equals(certificate.GetCertHashString(HashAlgorithmName.SHA256), normalizedFingerprint, StringComparison.OrdinalIgnoreCase);

    /// <summary>Uppercase hex without separators, or null when not a SHA-256 fingerprint.</summary>
    public static string? NormalizeFingerprint(string? fingerprint)
    {
        if (string.IsNullOrWhiteSpace(fingerprint))
            return null;
        var hex = new string(fingerprint.Where(c => c is not (':' or ' ' or '-')).ToArray()).ToUpperInvariant();
        return hex.Length == 64 && hex.All(Uri.IsHexDigit) ? hex : null;
    }
}
