using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace ProxmoxLxc.Infrastructure.Leasing;

/// <summary>Section <c>Instance</c>: how this process names itself among the instances sharing the database.</summary>
public sealed class InstanceOptions
{
    public const string SectionName = "Instance";

    /// <summary>A readable name for logs and lease owners (<c>Instance__Id</c>); default: the machine name.</summary>
    public string? Id { get; set; }
}

/// <summary>
/// This process among the instances sharing one database: the configured name (or the machine name) plus a suffix
/// generated at start, so two processes never share an identity (and so never share a lease), even when configured
/// with the same name or restarted on the same host.
/// </summary>
public sealed class InstanceIdentity
{
    /// <summary>Longest identity (the width of the lease-owner columns).</summary>
    public const int MaxLength = 64;

    public InstanceIdentity(IOptions<InstanceOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var name = string.IsNullOrWhiteSpace(options.Value.Id) ? Environment.MachineName : options.Value.Id.Trim();
        var printable = new string([.. name.Select(c => c is >= '!' and <= '~' ? c : '_')]);
        if (printable.Length > MaxLength - 9)
        {
            printable = printable[..(MaxLength - 9)];
        }

        Id = $"{printable}#{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
    }

    /// <summary>The identity, e.g. <c>api-2#3fa09c1d</c>.</summary>
    public string Id { get; }
}
