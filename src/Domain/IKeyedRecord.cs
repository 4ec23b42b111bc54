namespace ProxmoxLxc.Domain;

/// <summary>
/// A record a key may or may not see: it belongs to the key that caused it and names the container (and node) it is
/// about. Operation-log rows and events share one visibility rule through it.
/// </summary>
public interface IKeyedRecord
{
    string? KeyId { get; }

    int? VmId { get; }

    string? Node { get; }
}
