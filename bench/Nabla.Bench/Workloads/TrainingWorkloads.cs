using Nabla.NN;
using Nabla.Optim;
using TorchSharp;
using TsParameter = TorchSharp.Modules.Parameter;
using TsModel = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace Nabla.Bench;

/// <summary>
/// Full training steps (zero_grad, forward, cross-entropy, backward, step) on a batch of 64. TorchSharp starts
/// from Nabla's initial weights, so both sides do identical work on identical data.
/// </summary>
internal static class TrainingWorkloads
{
    private const int Batch = 64;

    public static IEnumerable<Workload> All()
    {
        yield return Training("MLP training SGD, batch 64", NablaModels.Mlp, TorchSharpModels.Mlp, [784], NablaSgd, TorchSharpSgd);
        yield return Training("MLP training Adam, batch 64", NablaModels.Mlp, TorchSharpModels.Mlp, [784], p => new Adam(p, lr: 1e-3),
            p => torch.optim.Adam(p, lr: 1e-3));
        yield return Training("LeNet training SGD, batch 64", NablaModels.LeNet, TorchSharpModels.LeNet, [1, 28, 28], NablaSgd, TorchSharpSgd);
    }

    public static Optimizer NablaSgd(IEnumerable<Tensor> parameters) => new SGD(parameters, lr: 0.01, momentum: 0.9);

    public static torch.optim.Optimizer TorchSharpSgd(IEnumerable<TsParameter> parameters) => torch.optim.SGD(parameters, 0.01, momentum: 0.9);

    /// <summary>One training step in Nabla, as a user writes it.</summary>
    public static Action NablaStep(Module model, Optimizer optimizer, Tensor x, Tensor y) => () =>
    {
        optimizer.ZeroGrad();
        var loss = Functional.CrossEntropy(model.Call(x), y);
        loss.Backward();
        optimizer.Step();
    };

    /// <summary>The same step in TorchSharp, with the dispose scope TorchSharp code needs to free its temporaries.</summary>
    public static Action TorchSharpStep(TsModel model, torch.optim.Optimizer optimizer, torch.Tensor x, torch.Tensor y) => () =>
    {
        using var scope = torch.NewDisposeScope();
        optimizer.zero_grad();
        var loss = torch.nn.functional.cross_entropy(model.call(x), y);
        loss.backward();
        optimizer.step();
    };

    private static Workload Training(string name, Func<Module> nablaModel, Func<TsModel> torchSharpModel, long[] sampleShape,
        Func<IEnumerable<Tensor>, Optimizer> nablaOptimizer, Func<IEnumerable<TsParameter>, torch.optim.Optimizer> torchSharpOptimizer)
        => new(Section.Training, name, () =>
        {
            Torch.ManualSeed(0);
            var model = nablaModel();
            var x = Torch.Randn([Batch, .. sampleShape]);
            var y = Torch.Randint(0, 10, [Batch]);
            var nabla = new Contender(Library.Nabla, _ => new Step(NablaStep(model, nablaOptimizer(model.Parameters()), x, y)));
            var torchSharp = new Contender(Library.TorchSharp, _ =>
            {
                var twin = torchSharpModel();
                TorchSharpInterop.CopyParameters(model, twin);
                var (tx, ty) = (x.ToTorchSharp(), y.ToTorchSharp());
                return new Step(TorchSharpStep(twin, torchSharpOptimizer(twin.parameters()), tx, ty), () => { twin.Dispose(); tx.Dispose(); ty.Dispose(); });
            });
            return new Contenders(nabla, torchSharp);
        });
}
