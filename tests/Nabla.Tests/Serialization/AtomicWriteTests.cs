using Nabla.Serialization;
using Xunit;

namespace Nabla.Tests.Serialization;

/// <summary>A save that fails midway leaves the previous file as it was and no temporary file behind.</summary>
public sealed class AtomicWriteTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-atomic-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void FailedSaveLeavesTheOldFileIntact()
    {
        var pt = Path.Combine(_dir, "ckpt.pt");
        var st = Path.Combine(_dir, "ckpt.safetensors");
        Torch.Save(new OrderedDictionary<string, Tensor> { ["w"] = Torch.Ones(3) }, pt);
        Safetensors.Save(new Dictionary<string, Tensor> { ["w"] = Torch.Ones(3) }, st);
        var oldPt = File.ReadAllBytes(pt);
        var oldSt = File.ReadAllBytes(st);

        // The writer fails after it has started writing: a value it cannot save comes after a tensor.
        var bad = new Dictionary<string, object?> { ["w"] = Torch.Zeros(1000), ["x"] = new Uri("http://example.com") };
        Assert.Throws<ArgumentException>(() => Torch.Save(bad, pt));
        Assert.Throws<ArgumentException>(() => Safetensors.Save(new Dictionary<string, Tensor> { ["__metadata__"] = Torch.Ones(1) }, st));

        Assert.Equal(oldPt, File.ReadAllBytes(pt));
        Assert.Equal(oldSt, File.ReadAllBytes(st));
        Assert.Equal(2, Directory.GetFiles(_dir).Length);
        TensorAssert.Equal(Torch.Ones(3), Torch.Load(pt)["w"]);
    }
}
