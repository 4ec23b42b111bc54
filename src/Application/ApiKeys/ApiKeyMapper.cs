using ProxmoxLxc.Domain.ApiKeys;
using Riok.Mapperly.Abstractions;

namespace ProxmoxLxc.Application.ApiKeys;

[Mapper(RequiredMappingStrategy = RequiredMappingStrategy.Target)]
internal static partial class ApiKeyMapper
{
    public const string KeyPrefix = "pxl_";

    [MapProperty("Restriction.AllowedNodes", nameof(ApiKeyDto.AllowedNodes))]
    [MapProperty("Restriction.AllowedPools", nameof(ApiKeyDto.AllowedPools))]
    [MapProperty("Restriction.VmIdRange", nameof(ApiKeyDto.VmIdRange))]
    [MapPropertyFromSource(nameof(ApiKeyDto.Prefix), Use = nameof(PrefixOf))]
    public static partial ApiKeyDto ToDto(this ApiKey key);

    private static partial VmIdRangeDto? ToDto(VmIdRange? range);

    private static string PrefixOf(ApiKey key) => $"{KeyPrefix}{key.Id}_";
}
