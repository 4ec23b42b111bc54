using FluentValidation;
using ProxmoxLxc.Application.Common.Behaviors;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.UnitTests.Common;

namespace ProxmoxLxc.Application.UnitTests.Behaviors;

public class ValidationBehaviorTests
{
    private static ValidationBehavior<TestCommand, string> Behavior(params IValidator<TestCommand>[] validators) => new(validators);

    [Test]
    public void Handle_InvalidNestedField_ThrowsWithJsonPathKeysAndSkipsTheHandler()
    {
        var called = false;
        var command = new TestCommand("", Networks: [new TestNetwork("eth0", "dhcp"), new TestNetwork("eth1", "10.0.0.1")]);

        var ex = Assert.ThrowsAsync<RequestValidationException>(async () =>
            await Behavior(new TestCommandValidator()).Handle(command, (_, _) =>
            {
                called = true;
                return ValueTask.FromResult("ok");
            }, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(called, Is.False);
            Assert.That(ex!.StatusCode, Is.EqualTo(400));
            Assert.That(ex.Code, Is.EqualTo("validation_failed"));
            Assert.That(ex.Errors.Keys, Is.EquivalentTo(new[] { "name", "networks[1].ipv4" }));
            Assert.That(ex.Errors["networks[1].ipv4"], Is.EqualTo(new[] { "'ipv4' must be a CIDR or dhcp." }));
        });
    }

    [Test]
    public void Handle_SeveralValidators_MergesTheirErrorsPerField()
    {
        var ex = Assert.ThrowsAsync<RequestValidationException>(async () =>
            await Behavior(new TestCommandValidator(), new SecondTestCommandValidator())
                .Handle(new TestCommand("toolong"), (_, _) => ValueTask.FromResult("ok"), CancellationToken.None));

        Assert.That(ex!.Errors.Keys, Is.EquivalentTo(new[] { "name" }));
    }

    [Test]
    public async Task Handle_ValidMessage_CallsTheHandler()
    {
        var result = await Behavior(new TestCommandValidator())
            .Handle(new TestCommand("web", Networks: [new TestNetwork("eth0", "10.0.0.2/24")]),
                (_, _) => ValueTask.FromResult("handled"), CancellationToken.None);

        Assert.That(result, Is.EqualTo("handled"));
    }

    [Test]
    public async Task Handle_NoValidators_CallsTheHandler()
    {
        var result = await Behavior().Handle(new TestCommand(""), (_, _) => ValueTask.FromResult("handled"), CancellationToken.None);

        Assert.That(result, Is.EqualTo("handled"));
    }

    [TestCase(nameof(Operations.OperationDto.VmId), "vmid")]
    [TestCase(nameof(Operations.OperationDto.KeyId), "keyId")]
    public void JsonNameOf_Member_HonoursJsonPropertyName(string member, string expected)
    {
        var property = typeof(Operations.OperationDto).GetProperty(member)!;

        Assert.That(FieldPath.JsonNameOf(property), Is.EqualTo(expected));
    }

    [TestCase("Networks[0].Ipv4", "networks[0].ipv4")]
    [TestCase("Rootfs.SizeGiB", "rootfs.sizeGiB")]
    [TestCase("VmIdRange.Min", "vmIdRange.min")]
    [TestCase("Name", "name")]
    [TestCase("", "$")]
    public void ToJsonPath_MemberPath_ReturnsCamelCaseJsonPath(string member, string expected)
    {
        Assert.That(FieldPath.ToJsonPath(member), Is.EqualTo(expected));
    }
}
