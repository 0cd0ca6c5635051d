using Nabla.NN;
using Xunit;

namespace Nabla.Tests.FunctionalParity;

/// <summary>Activation and loss modules print as PyTorch's repr and hold the same state keys (goldens/functional.json "reprs").</summary>
public class ModuleReprTests
{
    private static readonly Dictionary<string, Func<Module>> s_modules = new()
    {
        ["ReLU"] = () => new ReLU(),
        ["ReLU_inplace"] = () => new ReLU(inplace: true),
        ["LeakyReLU"] = () => new LeakyReLU(),
        ["LeakyReLU_0.2_inplace"] = () => new LeakyReLU(0.2, true),
        ["ELU"] = () => new ELU(),
        ["ELU_0.5"] = () => new ELU(0.5),
        ["GELU"] = () => new GELU(),
        ["GELU_tanh"] = () => new GELU("tanh"),
        ["SiLU"] = () => new SiLU(),
        ["SiLU_inplace"] = () => new SiLU(inplace: true),
        ["Sigmoid"] = () => new Sigmoid(),
        ["Tanh"] = () => new Tanh(),
        ["Softmax_1"] = () => new Softmax(dim: 1),
        ["Softmax"] = () => new Softmax(),
        ["LogSoftmax_-1"] = () => new LogSoftmax(dim: -1),
        ["CrossEntropyLoss"] = () => new CrossEntropyLoss(),
        ["CrossEntropyLoss_weight"] = () => new CrossEntropyLoss(weight: Torch.Ones(3), labelSmoothing: 0.1),
        ["NLLLoss"] = () => new NLLLoss(),
        ["MSELoss"] = () => new MSELoss(),
        ["L1Loss"] = () => new L1Loss(),
        ["SmoothL1Loss"] = () => new SmoothL1Loss(beta: 0.5),
        ["HuberLoss"] = () => new HuberLoss(),
        ["BCELoss"] = () => new BCELoss(),
        ["BCEWithLogitsLoss_pos_weight"] = () => new BCEWithLogitsLoss(posWeight: Torch.Ones(2)),
        ["KLDivLoss"] = () => new KLDivLoss(reduction: "batchmean"),
    };

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var e in Goldens.Load("functional").GetProperty("reprs").EnumerateObject()) data.Add(e.Name);
        return data;
    }

    [Fact]
    public void EveryGoldenReprIsChecked() => Assert.Equal(Goldens.Load("functional").GetProperty("reprs").EnumerateObject().Select(e => e.Name).Order(), s_modules.Keys.Order());

    [Theory]
    [MemberData(nameof(Names))]
    public void PrintsAsPyTorchAndHasItsStateKeys(string name)
    {
        var golden = Goldens.Load("functional").GetProperty("reprs").GetProperty(name);
        var module = s_modules[name]();
        Assert.Equal(golden.GetProperty("repr").GetString(), module.ToString());
        Assert.Equal(golden.GetProperty("state_keys").EnumerateArray().Select(k => k.GetString()), module.StateDict().Keys);
    }

    [Fact]
    public void ClassNamesArePyTorchs()
    {
        Assert.Equal("ReLU", new ReLU().GetType().Name);
        Assert.Equal("BCEWithLogitsLoss", new BCEWithLogitsLoss().GetType().Name);
    }
}
