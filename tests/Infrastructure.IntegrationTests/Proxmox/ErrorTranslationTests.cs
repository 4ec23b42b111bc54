using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Infrastructure.Proxmox;

namespace ProxmoxLxc.Infrastructure.IntegrationTests.Proxmox;

[TestFixture]
public sealed class ErrorTranslationTests
{
    [TestCase("Configuration file 'nodes/pve/lxc/999.conf' does not exist", typeof(NotFoundException), "container_not_found")]
    [TestCase("snapshot 'x' does not exist", typeof(NotFoundException), "snapshot_not_found")]
    [TestCase("CT is locked (backup)", typeof(ConflictException), "container_locked")]
    [TestCase("can't lock file '/run/lock/lxc/pve-config-101.lock' - got timeout", typeof(ConflictException), "container_locked")]
    [TestCase("CT 101 already running", typeof(ConflictException), "container_state_conflict")]
    [TestCase("CT 101 not running", typeof(ConflictException), "container_state_conflict")]
    [TestCase("VM 101 not running", typeof(ConflictException), "container_state_conflict")]
    [TestCase("unable to destroy CT 101 - container is running", typeof(ConflictException), "container_state_conflict")]
    [TestCase("CT 101 already exists on node 'pve'", typeof(ConflictException), "vmid_unavailable")]
    [TestCase("VM 101 already exists on node 'pve'", typeof(ConflictException), "vmid_unavailable")]
    [TestCase("Cannot do full clones on a running container without snapshots", typeof(ConflictException), "container_state_conflict")]
    [TestCase("unable to create template, because CT contains snapshots or is running", typeof(ConflictException), "container_state_conflict")]
    [TestCase("unable to delete required option 'memory'", typeof(RequestValidationException), "validation_failed")]
    [TestCase("detected modified configuration - file changed by other user? Try again.", typeof(PreconditionFailedException), "precondition_failed")]
    [TestCase("unable to shrink disk size", typeof(RequestValidationException), "validation_failed")]
    [TestCase("disk is already at specified size", typeof(RequestValidationException), "validation_failed")]
    [TestCase("hostname lookup 'nope' failed - failed to get address info for: nope: Name or service not known", typeof(NotFoundException), "node_not_found")]
    [TestCase("something unexpected", typeof(ProxmoxErrorException), "proxmox_error")]
    public void Translate_500Message_MapsToTypedException(string message, Type expectedType, string expectedCode)
    {
        var ex = ProxmoxErrorTranslator.Translate(500, message, null);

        Assert.Multiple(() =>
        {
            Assert.That(ex, Is.TypeOf(expectedType));
            Assert.That(ex.Code, Is.EqualTo(expectedCode));
        });
    }

    [Test]
    public void Translate_400WithErrors_ValidationExceptionCarriesFields()
    {
        var errors = new Dictionary<string, string[]> { ["memory"] = ["value must have a minimum value of 16"] };

        var ex = ProxmoxErrorTranslator.Translate(400, "Parameter verification failed.", errors);

        Assert.That(ex, Is.TypeOf<RequestValidationException>());
        var validation = (RequestValidationException)ex;
        Assert.Multiple(() =>
        {
            Assert.That(validation.StatusCode, Is.EqualTo(422));
            Assert.That(validation.Errors["memory"], Is.EqualTo(new[] { "value must have a minimum value of 16" }));
        });
    }

    [Test]
    public void Translate_500AlreadyExists_NamesNeitherNodeNorId()
    {
        var ex = ProxmoxErrorTranslator.Translate(500, "CT 101 already exists on node 'pve2'", null);

        Assert.That(ex.Message, Does.Not.Contain("pve2").And.Not.Contain("101"));
    }

    [Test]
    public void Translate_500UnableToDeleteRequiredOption_422AtDelete()
    {
        var ex = (RequestValidationException)ProxmoxErrorTranslator.Translate(500, "unable to delete required option 'memory'\n", null);

        Assert.Multiple(() =>
        {
            Assert.That(ex.StatusCode, Is.EqualTo(422));
            Assert.That(ex.Errors.Keys, Is.EqualTo(new[] { "delete" }));
        });
    }

    [Test]
    public void Translate_403PoolDoesNotExist_422AtPoolNotAPrivilegeProblem()
    {
        var ex = ProxmoxErrorTranslator.Translate(403, "Permission check failed (pool 'nosuch' does not exist)\n", null);

        Assert.That(ex, Is.TypeOf<RequestValidationException>());
        var validation = (RequestValidationException)ex;
        Assert.Multiple(() =>
        {
            Assert.That(validation.StatusCode, Is.EqualTo(422));
            Assert.That(validation.Errors["pool"][0], Does.Contain("nosuch").And.Not.Contain("ermission"));
        });
    }

    [Test]
    public void Translate_403MissingPrivilege_StaysTheServicesOwnProblem()
    {
        var ex = ProxmoxErrorTranslator.Translate(403, "Permission check failed (/vms/101, VM.PowerMgmt)", null);

        Assert.That(ex.Code, Is.EqualTo("proxmox_error"));
    }

    [Test]
    public void Translate_400NoSuchTask_NotFound() =>
        Assert.That(ProxmoxErrorTranslator.Translate(400, "Parameter verification failed.",
            new Dictionary<string, string[]> { ["upid"] = ["no such task"] }), Is.TypeOf<NotFoundException>());

    [TestCase(401, typeof(ProxmoxErrorException))]
    [TestCase(403, typeof(ProxmoxErrorException))]
    [TestCase(501, typeof(ProxmoxErrorException))]
    [TestCase(502, typeof(ProxmoxUnavailableException))]
    [TestCase(503, typeof(ProxmoxUnavailableException))]
    [TestCase(504, typeof(ProxmoxTimeoutException))]
    [TestCase(595, typeof(ProxmoxUnavailableException))]
    [TestCase(596, typeof(ProxmoxUnavailableException))]
    public void Translate_Status_MapsToTypedException(int status, Type expected) =>
        Assert.That(ProxmoxErrorTranslator.Translate(status, "x", null), Is.TypeOf(expected));

    [Test]
    public void Translate_401_MessageBlamesConfigurationNotCaller()
    {
        var ex = ProxmoxErrorTranslator.Translate(401, "No ticket", null);

        Assert.Multiple(() =>
        {
            Assert.That(ex.StatusCode, Is.EqualTo(502));
            Assert.That(ex.Message, Does.Contain("service's own credentials"));
        });
    }

    [TestCase("", true)]
    [TestCase("Internal Server Error", true)]
    [TestCase("can't lock file '/run/lock/lxc/pve-config-101.lock' - got timeout", true)]
    [TestCase("Connection refused", true)]
    [TestCase("emulated failure", true)]
    [TestCase("unable to destroy CT 101 - container is running", false)]
    [TestCase("detected modified configuration - file changed by other user? Try again.", false)]
    [TestCase("Configuration file 'nodes/pve/lxc/999.conf' does not exist", false)]
    [TestCase("CT is locked (backup)", false)]
    [TestCase("CT 101 already running", false)]
    public void IsTransientServerError_Message_Classified(string message, bool expected) =>
        Assert.That(ProxmoxErrorTranslator.IsTransientServerError(message), Is.EqualTo(expected));
}
