using Nabla.Autograd;
using Nabla.Tracing;

namespace Nabla.NN;

/// <summary>Stateless layer functions and losses (<c>torch.nn.functional</c>); usable as <c>using F = Nabla.NN.Functional;</c>.</summary>
public static partial class Functional
{
    /// <summary>y = x W^T + b (<c>F.linear</c>); a 2-D input with bias is one addmm node, as in PyTorch.</summary>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null)
    {
        if (weight.Dim != 2) throw new ArgumentException($"linear: weight must be 2-D, got shape {Shapes.Format(weight._shape)}");
        if (input.Dim == 0 || input.Size(-1) != weight.Size(1))
            throw new ArgumentException(
                $"mat1 and mat2 shapes cannot be multiplied ({Shapes.FormatX(input.Dim == 2 ? input._shape : [Shapes.Numel(input._shape[..^1]), input.Dim == 0 ? 1 : input.Size(-1)])} and {Shapes.FormatX([weight.Size(1), weight.Size(0)])})");
        Tensor r;
        using (Trace.Suspend())
        {
            if (input.Dim == 2 && bias is not null)
            {
                // addmm: weightᵀ read in place, the bias added in the product's epilogue.
                bool record = Graph.Needs([input, weight, bias]);
                r = Tensor.LinearRaw(input, weight, bias, relu: false, inference: !record);
                if (record) RecordAddmm(r, input, weight, bias);
            }
            else if (input.Dim == 3 && bias is not null && input.IsContiguous())
                r = Linear(input.View(-1, input.Size(-1)), weight, bias).View(input.Size(0), input.Size(1), weight.Size(0));
            else
            {
                r = input.Matmul(weight.T());
                if (bias is not null) r = r + bias;
            }
        }
        if (Trace.Active) Trace.Record("linear", bias is null ? [input, weight] : [input, weight, bias], r);
        return r;
    }

    // Apart from Linear: a lambda capturing Linear's parameters would have the compiler allocate its closure on every call.
    private static void RecordAddmm(Tensor r, Tensor input, Tensor weight, Tensor bias) =>
        Graph.Record("AddmmBackward0", r, [bias, input, weight], g =>
        [
            bias.RequiresGrad ? g.SumTo(bias) : null,
            input.RequiresGrad ? g.Mm(weight) : null,
            weight.RequiresGrad ? g.T().Mm(input) : null,
        ], input, weight);

    /// <summary>Mean squared error (<c>F.mse_loss(input, target, reduction)</c>), reduction "mean", "sum" or "none".</summary>
    public static Tensor MseLoss(Tensor input, Tensor target, string reduction = "mean")
    {
        CheckReduction(reduction);
        Tensor r;
        using (GradMode.Set(false))
        using (Trace.Suspend())
            r = Reduce((input - target).Pow(2), reduction);
        if (Graph.Needs(input, target))
            Graph.Record("MseLossBackward0", r, [input, target], g =>
            {
                var diff = input - target;
                var scale = reduction == "mean" ? 2.0 / diff.Numel() : 2.0;
                var gd = (reduction == "none" ? g : g.Expand(diff._shape)) * diff * scale;
                return [input.RequiresGrad ? gd.SumTo(input) : null, target.RequiresGrad ? (-gd).SumTo(target) : null];
            }, input, target);
        if (Trace.Active) Trace.Record("mse_loss", [input, target], r, new Dictionary<string, object> { ["reduction"] = reduction });
        return r;
    }

    internal static void CheckReduction(string reduction)
    {
        if (reduction is not ("mean" or "sum" or "none"))
            throw new ArgumentException($"{reduction} is not a valid value for reduction (expected \"mean\", \"sum\" or \"none\")");
    }

    internal static Tensor Reduce(Tensor loss, string reduction) => reduction switch
    {
        "mean" => loss.Mean(),
        "sum" => loss.Sum(),
        _ => loss,
    };
}
