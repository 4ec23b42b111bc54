using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Proxmox;
using ProxmoxLxc.Infrastructure.Proxmox;

namespace ProxmoxLxc.Infrastructure.IntegrationTests.Proxmox;

[TestFixture]
public sealed class PropertyStringTests
{
    [Test]
    public void BuildNetwork_TypedValues_ProducesKeyValueString()
    {
        var net = new ContainerNetwork
        {
            Index = 0,
            Name = "eth0",
            Bridge = "vmbr0",
            Ipv4 = "192.168.15.147/24",
            Gateway4 = "192.168.15.1",
            Firewall = true,
            Vlan = 20,
        };

        var text = LxcPropertyStrings.BuildNetwork(net);

        Assert.That(PropertyString.Parse(text), Is.EquivalentTo(new Dictionary<string, string>
        {
            ["name"] = "eth0",
            ["bridge"] = "vmbr0",
            ["ip"] = "192.168.15.147/24",
            ["gw"] = "192.168.15.1",
            ["firewall"] = "1",
            ["tag"] = "20",
        }));
    }

    [Test]
    public void ParseNetwork_ProxmoxNormalizedOutput_ReturnsTypedModel()
    {
        var net = LxcPropertyStrings.ParseNetwork(0, "name=eth0,bridge=vmbr0,hwaddr=BC:24:11:AA:BB:CC,ip=dhcp,type=veth");

        Assert.That(net, Is.EqualTo(new ContainerNetwork
        {
            Index = 0,
            Name = "eth0",
            Bridge = "vmbr0",
            MacAddress = "BC:24:11:AA:BB:CC",
            Ipv4 = "dhcp",
            Type = "veth",
        }));
    }

    [Test]
    public void ParseNetwork_DifferentKeyOrder_ComparesEqual()
    {
        var a = LxcPropertyStrings.ParseNetwork(1, "bridge=vmbr0,name=eth1,ip=10.0.0.5/24,firewall=1,tag=5");
        var b = LxcPropertyStrings.ParseNetwork(1, "name=eth1,firewall=1,ip=10.0.0.5/24,tag=5,bridge=vmbr0");

        Assert.That(a, Is.EqualTo(b));
    }

    [Test]
    public void BuildThenParseNetwork_RoundTrip_Preserved()
    {
        var net = new ContainerNetwork
        {
            Index = 3,
            Name = "eth3",
            Bridge = "vmbr1",
            Ipv4 = "manual",
            Ipv6 = "fd00::5/64",
            Gateway6 = "fd00::1",
            Mtu = 1400,
            RateMbps = 12.5,
            MacAddress = "BC:24:11:00:00:01",
            LinkDown = false,
        };

        Assert.That(LxcPropertyStrings.ParseNetwork(3, LxcPropertyStrings.BuildNetwork(net)), Is.EqualTo(net));
    }

    [TestCase("vmbr0,firewall=0")]
    [TestCase("vmbr0=1")]
    [TestCase("vmbr0 ip=dhcp")]
    [TestCase("vmbr0\nip=dhcp")]
    [TestCase("vmbr0\0")]
    [TestCase("vmbr0;x")]
    [TestCase("")]
    public void BuildNetwork_InjectedBridge_Rejected(string bridge)
    {
        var net = new ContainerNetwork { Index = 0, Name = "eth0", Bridge = bridge };

        var ex = Assert.Throws<RequestValidationException>(() => LxcPropertyStrings.BuildNetwork(net));
        Assert.That(ex!.Errors.Keys, Does.Contain("net0"));
    }

    [TestCase("10.0.0.5/24,gw=10.0.0.254")]
    [TestCase("dhcp,hwaddr=00:11:22:33:44:55")]
    [TestCase("dhcp\r\n")]
    [TestCase("dhcp\t")]
    [TestCase("dh\u0007cp")]
    public void BuildNetwork_InjectedIp_Rejected(string ip)
    {
        var net = new ContainerNetwork { Index = 0, Name = "eth0", Bridge = "vmbr0", Ipv4 = ip };

        Assert.Throws<RequestValidationException>(() => LxcPropertyStrings.BuildNetwork(net));
    }

    [Test]
    public void BuildNetwork_IndexOutOfRange_Rejected() =>
        Assert.Throws<RequestValidationException>(() => LxcPropertyStrings.BuildNetwork(new ContainerNetwork { Index = 32, Name = "eth0" }));

    [Test]
    public void BuildRootFs_StorageAndSize_ProducesNewVolumeSyntax()
    {
        Assert.That(LxcPropertyStrings.BuildRootFs(new RootFsSpec("local-lvm", 8)), Is.EqualTo("local-lvm:8"));
        Assert.That(LxcPropertyStrings.BuildRootFs(new RootFsSpec("local-lvm", 0.5m)), Is.EqualTo("local-lvm:0.5"));
    }

    [TestCase("local-lvm,size=1")]
    [TestCase("Local")]
    [TestCase("local lvm")]
    [TestCase("local:8,mp=/x")]
    public void BuildRootFs_InvalidStorage_Rejected(string storage) =>
        Assert.Throws<RequestValidationException>(() => LxcPropertyStrings.BuildRootFs(new RootFsSpec(storage, 8)));

    [Test]
    public void ParseRootFs_NormalizedOutput_ExtractsStorageAndSize()
    {
        var rootfs = LxcPropertyStrings.ParseRootFs("local-lvm:vm-101-disk-0,size=8G");

        Assert.That(rootfs, Is.EqualTo(new ContainerRootFs("local-lvm:vm-101-disk-0", "local-lvm", 8m)));
    }

    [Test]
    public void ParseRootFs_ExplicitVolumeKey_Accepted()
    {
        Assert.That(LxcPropertyStrings.ParseRootFs("volume=local:101/vm-101-disk-0.raw,size=512M").SizeGiB, Is.EqualTo(0.5m));
    }

    [Test]
    public void BuildMountPoint_TypedValues_ProducesString()
    {
        var text = LxcPropertyStrings.BuildMountPoint(new MountPointSpec(0, "local-lvm", 8, "/data", Backup: true));

        Assert.That(text, Is.EqualTo("local-lvm:8,mp=/data,backup=1"));
    }

    [TestCase("/data,ro=1")]
    [TestCase("/da ta")]
    [TestCase("data")]
    [TestCase("/data/../etc")]
    [TestCase("/data\n")]
    public void BuildMountPoint_InjectedPath_Rejected(string path) =>
        Assert.Throws<RequestValidationException>(() => LxcPropertyStrings.BuildMountPoint(new MountPointSpec(0, "local-lvm", 8, path)));

    [Test]
    public void ParseMountPoint_NormalizedOutput_ReturnsTypedModel()
    {
        var mp = LxcPropertyStrings.ParseMountPoint(0, "local-lvm:vm-101-disk-1,mp=/data,backup=1,size=8G");

        Assert.That(mp, Is.EqualTo(new ContainerMountPoint(0, "local-lvm:vm-101-disk-1", "local-lvm", "/data", 8m, true, null)));
    }

    [Test]
    public void BuildFeatures_FlagsAndMountList_Built()
    {
        var text = LxcPropertyStrings.BuildFeatures(new ContainerFeatures { Nesting = true, Keyctl = true, MountTypes = ["nfs", "cifs"] });

        Assert.That(PropertyString.Parse(text!), Is.EquivalentTo(new Dictionary<string, string>
        {
            ["nesting"] = "1",
            ["keyctl"] = "1",
            ["mount"] = "nfs;cifs",
        }));
    }

    [Test]
    public void BuildFeatures_NothingSet_ReturnsNull() =>
        Assert.That(LxcPropertyStrings.BuildFeatures(new ContainerFeatures()), Is.Null);

    [TestCase("nfs,nesting=1")]
    [TestCase("nfs;cifs")]
    [TestCase("nfs=1")]
    public void BuildFeatures_InjectedMountType_Rejected(string type) =>
        Assert.Throws<RequestValidationException>(() => LxcPropertyStrings.BuildFeatures(new ContainerFeatures { MountTypes = [type] }));

    [Test]
    public void ParseFeatures_BooleanSpellings_Accepted()
    {
        var features = LxcPropertyStrings.ParseFeatures("nesting=on,keyctl=yes,fuse=TRUE,mknod=0,mount=nfs;cifs");

        Assert.Multiple(() =>
        {
            Assert.That(features.Nesting && features.Keyctl && features.Fuse, Is.True);
            Assert.That(features.Mknod, Is.False);
            Assert.That(features.MountTypes, Is.EqualTo(new[] { "nfs", "cifs" }));
        });
    }

    [TestCase("8G", 8)]
    [TestCase("512M", 0.5)]
    [TestCase("1T", 1024)]
    [TestCase("1048576K", 1)]
    [TestCase("2147483648", 2)]
    [TestCase("1.5G", 1.5)]
    public void SizeGiB_ProxmoxSizes_Converted(string size, double expected) =>
        Assert.That(LxcPropertyStrings.SizeGiB(size), Is.EqualTo((decimal)expected));

    [Test]
    public void BuildResizeSize_AbsoluteAndGrow_Formatted()
    {
        Assert.Multiple(() =>
        {
            Assert.That(LxcPropertyStrings.BuildResizeSize(DiskResize.ToAbsolute(10)), Is.EqualTo("10G"));
            Assert.That(LxcPropertyStrings.BuildResizeSize(DiskResize.By(2)), Is.EqualTo("+2G"));
            Assert.That(LxcPropertyStrings.BuildResizeSize(DiskResize.By(1.5m)), Is.EqualTo("+1536M"));
        });
    }

    [Test]
    public void BuildResizeSize_Zero_Rejected() =>
        Assert.Throws<RequestValidationException>(() => LxcPropertyStrings.BuildResizeSize(DiskResize.By(0)));

    [TestCase("prod;web")]
    [TestCase("a,b")]
    [TestCase("a b")]
    public void BuildTags_SeparatorInTag_Rejected(string tag) =>
        Assert.Throws<RequestValidationException>(() => LxcPropertyStrings.BuildTags("tags", [tag]));

    [Test]
    public void ParseTags_AnySeparator_Split() =>
        Assert.That(LxcPropertyStrings.ParseTags("prod;web,db x"), Is.EqualTo(new[] { "prod", "web", "db", "x" }));
}
