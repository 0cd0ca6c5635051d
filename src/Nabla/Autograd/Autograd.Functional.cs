namespace Nabla.Autograd;

public static partial class Autograd
{
    /// <summary>
    /// Derivatives of whole functions (<c>torch.autograd.functional</c>): Jacobian, Hessian and the vector products, each
    /// computed with reverse mode (<c>vectorize=False</c>: one backward pass per output element for the matrices).
    /// Without <c>createGraph</c> the results are detached from any graph.
    /// </summary>
    public static class Functional
    {
        /// <summary>The Jacobian of <paramref name="function"/> at <paramref name="input"/>, shaped output.shape + input.shape (<c>jacobian(func, inputs)</c>).</summary>
        public static Tensor Jacobian(Func<Tensor, Tensor> function, Tensor input, bool createGraph = false, bool strict = false, bool vectorize = false)
        {
            ArgumentNullException.ThrowIfNull(function);
            RefuseVectorize(vectorize);
            var x = Prepare(input, createGraph);
            Tensor output;
            using (GradMode.Set(true)) output = function(x);
            if (!output.RequiresGrad)
            {
                if (strict) throw new InvalidOperationException("Output 0 of the user-provided function does not require gradients. The outputs must be computed in a differentiable manner from the input when running in strict mode.");
                return Torch.Zeros([.. output._shape, .. x._shape], x.DType);
            }
            var rows = new Tensor[output._numel];
            for (int j = 0; j < rows.Length; j++)
            {
                var oneHot = Torch.Zeros([output._numel], output.DType);
                using (GradMode.Set(false)) oneHot[j] = Torch.Ones([], output.DType);
                var g = Grad([output], [x], [oneHot.Reshape(output._shape)], retainGraph: true, createGraph: createGraph, allowUnused: true)[0];
                if (g is null && strict)
                    throw new InvalidOperationException($"Output 0 of the user-provided function is independent of input 0. This is not allowed in strict mode.");
                rows[j] = g ?? Torch.ZerosLike(x);
            }
            var jacobian = Torch.Stack(rows).Reshape([.. output._shape, .. x._shape]);
            return createGraph ? jacobian : jacobian.Detach();
        }

        /// <summary>The Hessian of a scalar <paramref name="function"/> at <paramref name="input"/>, shaped input.shape + input.shape (<c>hessian(func, inputs)</c>).</summary>
        public static Tensor Hessian(Func<Tensor, Tensor> function, Tensor input, bool createGraph = false, bool strict = false, bool vectorize = false)
        {
            ArgumentNullException.ThrowIfNull(function);
            return Jacobian(x =>
            {
                var y = function(x);
                if (y._numel != 1) throw new ArgumentException("The function given to hessian should return a single element Tensor");
                return Jacobian(function, x, createGraph: true, strict, vectorize);
            }, input, createGraph, strict, vectorize);
        }

        /// <summary>The function's value and the vector-Jacobian product vᵀJ (<c>vjp(func, inputs, v)</c>); v may be omitted for a one-element output.</summary>
        public static (Tensor Output, Tensor Vjp) Vjp(Func<Tensor, Tensor> function, Tensor input, Tensor? v = null, bool createGraph = false, bool strict = false)
        {
            ArgumentNullException.ThrowIfNull(function);
            var x = Prepare(input, createGraph);
            Tensor output;
            using (GradMode.Set(true)) output = function(x);
            if (!output.RequiresGrad) return (output.Detach(), Torch.ZerosLike(x));
            var g = Grad([output], [x], [v], retainGraph: createGraph, createGraph: createGraph, allowUnused: !strict)[0] ?? Torch.ZerosLike(x);
            return createGraph ? (output, g) : (output.Detach(), g.Detach());
        }

        /// <summary>The function's value and the Jacobian-vector product Jv (<c>jvp(func, inputs, v)</c>), by the double-backward trick.</summary>
        public static (Tensor Output, Tensor Jvp) Jvp(Func<Tensor, Tensor> function, Tensor input, Tensor? v = null, bool createGraph = false, bool strict = false)
        {
            ArgumentNullException.ThrowIfNull(function);
            var x = Prepare(input, createGraph);
            Tensor output;
            using (GradMode.Set(true)) output = function(x);
            if (!output.RequiresGrad) return (output.Detach(), Torch.ZerosLike(output));
            // u ↦ uᵀJ is linear in u; its gradient with respect to u, taken along v, is Jv.
            var u = Torch.ZerosLike(output).RequiresGrad_();
            var gu = Grad([output], [x], [u], retainGraph: true, createGraph: true, allowUnused: true)[0];
            if (gu is null || !gu.RequiresGrad) return (createGraph ? output : output.Detach(), Torch.ZerosLike(output));
            var jvp = Grad([gu], [u], [v ?? Torch.OnesLike(x)], retainGraph: createGraph, createGraph: createGraph, allowUnused: true)[0] ?? Torch.ZerosLike(output);
            return createGraph ? (output, jvp) : (output.Detach(), jvp.Detach());
        }

        /// <summary>The value of a scalar function and the Hessian-vector product Hv (<c>hvp(func, inputs, v)</c>), by double backward.</summary>
        public static (Tensor Output, Tensor Hvp) Hvp(Func<Tensor, Tensor> function, Tensor input, Tensor? v = null, bool createGraph = false, bool strict = false)
        {
            ArgumentNullException.ThrowIfNull(function);
            var x = Prepare(input, createGraph);
            Tensor output;
            using (GradMode.Set(true)) output = function(x);
            if (output._numel != 1) throw new ArgumentException("The Tensor returned by the function given to hvp should contain a single element");
            if (!output.RequiresGrad) return (output.Detach(), Torch.ZerosLike(x));
            var g = Grad([output], [x], retainGraph: true, createGraph: true, allowUnused: true)[0];
            if (g is null || !g.RequiresGrad) return (createGraph ? output : output.Detach(), Torch.ZerosLike(x));
            var hvp = Grad([g], [x], [v ?? Torch.OnesLike(x)], retainGraph: createGraph, createGraph: createGraph, allowUnused: true)[0] ?? Torch.ZerosLike(x);
            return createGraph ? (output, hvp) : (output.Detach(), hvp.Detach());
        }

        // The input as the functions see it: a fresh leaf, or with createGraph a differentiable alias of the caller's tensor.
        private static Tensor Prepare(Tensor input, bool createGraph)
        {
            ArgumentNullException.ThrowIfNull(input);
            if (createGraph && input.RequiresGrad)
                using (GradMode.Set(true))
                    return input.ViewAs(input);
            return input.Detach().RequiresGrad_();
        }

        private static void RefuseVectorize(bool vectorize)
        {
            if (vectorize) throw new NotSupportedException("vectorize=True is not supported: the Jacobian is computed with one backward pass per output element.");
        }
    }
}
