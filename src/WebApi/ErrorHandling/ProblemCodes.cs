namespace ProxmoxLxc.WebApi.ErrorHandling;

/// <summary>Problem <c>type</c> URIs and the default <c>code</c> for a status without a more specific one.</summary>
internal static class ProblemCodes
{
    public static string TypeFor(string code) => $"urn:proxmoxlxc:problem:{code}";

    public static string DefaultFor(int status) => Application.Common.Exceptions.ErrorCodes.ForStatus(status);
}
