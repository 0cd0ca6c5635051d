using Nabla.NN;
using TorchSharp;

namespace Nabla.Bench;

/// <summary>Normalisation layers' forward pass: batch statistics and the per-channel scale-and-shift.</summary>
internal static class NormalizationWorkloads
{
    public static IEnumerable<Workload> All()
    {
        yield return Layer("BatchNorm2d(64) forward, training, [32, 64, 28, 28]", [32, 64, 28, 28],
            () => new BatchNorm2d(64), () => torch.nn.BatchNorm2d(64), train: true);
        yield return Layer("BatchNorm2d(64) forward, eval, [32, 64, 28, 28]", [32, 64, 28, 28],
            () => new BatchNorm2d(64), () => torch.nn.BatchNorm2d(64), train: false);
        yield return Layer("LayerNorm(768) forward, [32, 128, 768]", [32, 128, 768],
            () => new LayerNorm([768]), () => torch.nn.LayerNorm(768), train: true);
    }

    /// <summary>
    /// The layer's forward on the same input under no-grad, with default parameters and running statistics on both sides.
    /// TorchSharp disposes each output at the next iteration; Nabla's comes back to its pool at the next module call.
    /// </summary>
    private static Workload Layer(string name, long[] shape, Func<Module> nablaLayer, Func<torch.nn.Module<torch.Tensor, torch.Tensor>> torchSharpLayer, bool train)
        => new(Section.Normalization, name, () =>
        {
            Torch.ManualSeed(3);
            var x = Torch.Randn(shape);
            var nabla = new Contender(Library.Nabla, _ =>
            {
                var layer = nablaLayer();
                layer.Train(train);
                return new Step(() =>
                {
                    using var noGrad = Torch.NoGrad();
                    layer.Call(x);
                });
            });
            var torchSharp = new Contender(Library.TorchSharp, _ =>
            {
                var layer = torchSharpLayer();
                layer.train(train);
                var tx = x.ToTorchSharp();
                torch.Tensor? previous = null;
                return new Step(() =>
                {
                    using var noGrad = torch.no_grad();
                    var y = layer.call(tx);
                    previous?.Dispose();
                    previous = y;
                }, () => { previous?.Dispose(); layer.Dispose(); tx.Dispose(); });
            });
            return new Contenders(nabla, torchSharp);
        });
}
