using Nabla.NN;
using Nabla.Optim;
using Nabla.Serialization;
using Nabla.Tests.Serialization;
using Xunit;

namespace Nabla.Tests.Contract;

/// <summary>The checkpoint issue's user code, line for line: names, argument names and return shapes are the contract.</summary>
public sealed class CheckpointSnippetTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-snippet-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // The issue's relative file names, in a folder of this test's own.
    private string P(string name) => Path.Combine(_dir, name);

    [Fact]
    public void CheckpointSnippetRunsAsTheIssueWritesIt()
    {
        var model = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 3));
        var optimizer = new Adam(model.Parameters(), lr: 0.5);
        File.Copy(CheckpointFiles.Path("mlp.pt"), P("model.pt"));
        File.Copy(CheckpointFiles.Path("train_adam.pt"), P("ckpt.pt"));

        var sd = Torch.Load(P("model.pt"));
        model.LoadStateDict(sd);
        Torch.Save(model.StateDict(), P("out.pt"));
        var ckpt = Torch.LoadObject(P("ckpt.pt"));
        optimizer.LoadStateDict(OptimizerStateDict.From(ckpt["optimizer"]));
        Safetensors.Save(model.StateDict(), P("out.safetensors"), metadata: new() { ["format"] = "pt" });
        var st = Safetensors.Load(P("out.safetensors"));
        File.WriteAllText(P("model.safetensors.index.json"), "{\"weight_map\": {\"0.weight\": \"out.safetensors\", \"2.bias\": \"out.safetensors\"}}");
        var sharded = Safetensors.Load(P("model.safetensors.index.json"));
        model.Save(P("model.safetensors")); model.Load(P("model.pt"));
        var h = Torch.Zeros([2, 3], dtype: DType.BFloat16);

        Assert.Equal(sd.Keys, Torch.Load(P("out.pt")).Keys);
        Assert.Equal(3L, ckpt["epoch"]);
        Assert.Equal(0.005, optimizer.ParamGroups[0].Lr);  // 0.01 halved once by StepLR(step_size=2) after three steps
        Assert.Equal(sd.Keys, st.Keys);
        Assert.Equal(["0.weight", "2.bias"], sharded.Keys);
        Assert.Equal("pt", Safetensors.LoadMetadata(P("model.safetensors"))["format"]);
        Assert.Equal(DType.BFloat16, h.DType);
    }
}
