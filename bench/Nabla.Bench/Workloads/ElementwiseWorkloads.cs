using TorchSharp;
using TsTensor = TorchSharp.torch.Tensor;

namespace Nabla.Bench;

/// <summary>Memory-bound ops on large vectors, and the per-op overhead of one op on a 1-element tensor.</summary>
internal static class ElementwiseWorkloads
{
    public static IEnumerable<Workload> All()
    {
        foreach (long n in new[] { 1L << 20, 1L << 24 })
        {
            string size = n == 1L << 20 ? "1M" : "16M";
            yield return Binary(Section.Elementwise, $"a + b, {size}", n, (a, b) => a + b, (a, b) => a + b);
            yield return Binary(Section.Elementwise, $"a * b, {size}", n, (a, b) => a * b, (a, b) => a * b);
            yield return Binary(Section.Elementwise, $"a.Sum(), {size}", n, (a, _) => a.Sum(), (a, _) => a.sum());
            yield return Binary(Section.Elementwise, $"c = a + b with Dispose, {size}", n, (a, b) => a + b, (a, b) => a + b, nablaDisposes: true);
        }
    }

    /// <summary>One op on 1-element tensors: what dispatch, autograd checks and allocation cost per call.</summary>
    public static Workload OneElementAdd() => Binary(Section.SmallOps, "x + y, 1 element", 1, (x, y) => x + y, (x, y) => x + y);

    /// <summary>
    /// <paramref name="nablaOp"/> and <paramref name="torchSharpOp"/> on the same random inputs. TorchSharp disposes each result at
    /// the next iteration, as TorchSharp code must; Nabla leaves results to the library unless <paramref name="nablaDisposes"/>.
    /// </summary>
    private static Workload Binary(Section section, string name, long n, Func<Tensor, Tensor, Tensor> nablaOp,
        Func<TsTensor, TsTensor, TsTensor> torchSharpOp, bool nablaDisposes = false) => new(section, name, () =>
    {
        Torch.ManualSeed(1);
        var a = Torch.Randn(n);
        var b = Torch.Randn(n);
        var nabla = new Contender(Library.Nabla, _ =>
        {
            Tensor? previous = null;
            return new Step(() =>
            {
                var c = nablaOp(a, b);
                if (!nablaDisposes) return;
                previous?.Dispose();
                previous = c;
            });
        });
        var torchSharp = new Contender(Library.TorchSharp, _ =>
        {
            var ta = a.ToTorchSharp();
            var tb = b.ToTorchSharp();
            TsTensor? previous = null;
            return new Step(() =>
            {
                var c = torchSharpOp(ta, tb);
                previous?.Dispose();
                previous = c;
            }, () => { previous?.Dispose(); ta.Dispose(); tb.Dispose(); });
        });
        return new Contenders(nabla, torchSharp);
    });
}
