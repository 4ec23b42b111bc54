using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace ProxmoxLxc.Application.Containers.Queries.ListContainers;

/// <summary>Opaque keyset cursor for the container list: the vmid of the last container of a page.</summary>
internal readonly record struct ContainerCursor(int LastVmId)
{
    private const string Prefix = "ct1.";

    public string Encode() =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes(Prefix + LastVmId.ToString(CultureInfo.InvariantCulture)));

    public static bool TryDecode(string? value, out ContainerCursor cursor)
    {
        cursor = default;
        if (string.IsNullOrEmpty(value) || value.Length > 32)
        {
            return false;
        }

        try
        {
            var text = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(value));
            if (text.StartsWith(Prefix, StringComparison.Ordinal)
                && int.TryParse(text.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var vmId))
            {
                cursor = new ContainerCursor(vmId);
                return true;
            }
        }
        catch (FormatException)
        {
        }

        return false;
    }
}
