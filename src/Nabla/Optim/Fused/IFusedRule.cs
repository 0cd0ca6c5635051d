using System.Numerics;
using System.Runtime.Intrinsics;

namespace Nabla.Optim.Fused;

/// <summary>
/// One optimizer's update of a block of elements, written once in vector form: it reads and rewrites the parameter and up to
/// three state buffers from the gradient, with the same float operations in the same order as the tensor-op rule.
/// </summary>
/// <remarks>Slots the optimizer does not use hold zeros and are neither read from nor written to memory.</remarks>
internal interface IFusedRule<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    void Apply(ref Vector256<T> param, Vector256<T> grad, ref Vector256<T> state0, ref Vector256<T> state1, ref Vector256<T> state2);
}
