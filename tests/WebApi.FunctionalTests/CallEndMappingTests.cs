using ProxmoxLxc.Domain.Operations;
using ProxmoxLxc.WebApi.Hosting;

namespace ProxmoxLxc.WebApi.FunctionalTests;

// Provider-independent: a pure mapping, no API instance and no database.
/// <summary>The HTTP layer's reading of a final status for a call that recorded no outcome of its own.</summary>
public sealed class CallEndMappingTests
{
    [TestCase(200, OperationOutcome.Succeeded, null)]
    [TestCase(401, OperationOutcome.Rejected, "unauthenticated")]
    [TestCase(404, OperationOutcome.Rejected, "not_found")]
    [TestCase(499, OperationOutcome.Rejected, "client_closed_request")]
    // A 503 that never reached a handler cannot come from Proxmox (only handlers call it): it is the service's own.
    [TestCase(503, OperationOutcome.Failed, "service_unavailable")]
    public void EndOf_Status_MapsToOutcomeAndStableCode(int status, OperationOutcome outcome, string? code)
    {
        var end = OperationLogMiddleware.EndOf(status);

        Assert.Multiple(() =>
        {
            Assert.That(end.AnswerCode, Is.EqualTo(status));
            Assert.That(end.Outcome, Is.EqualTo(outcome));
            Assert.That(end.ErrorCode, Is.EqualTo(code));
            Assert.That(end.Error, Is.EqualTo(code is null ? null : $"HTTP {status}"));
        });
    }
}
