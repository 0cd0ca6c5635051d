using System.Numerics;
using System.Runtime.Intrinsics;

namespace Nabla.Optim.Fused;

// Vector forms that give exactly what the scalar tensor kernels give, lane by lane.
internal static class Lanes
{
    /// <summary>A hyper-parameter in every lane, rounded to <typeparamref name="T"/> as a wrapped Python number is.</summary>
    public static Vector256<T> Of<T>(double value) where T : unmanaged, IFloatingPointIeee754<T> => Vector256.Create(T.CreateTruncating(value));

    /// <summary>-x as a sign flip, so -(+0) is -0 as in the scalar negation.</summary>
    public static Vector256<T> Negate<T>(Vector256<T> x) where T : unmanaged, IFloatingPointIeee754<T> => x ^ Vector256.Create(T.NegativeZero);

    /// <summary>torch.maximum: NaN wins (the first one), ties keep <paramref name="a"/>, so -0 and +0 compare as the scalar kernel does.</summary>
    public static Vector256<T> Maximum<T>(Vector256<T> a, Vector256<T> b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var larger = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(a, b), a, b);
        var withNaNOfB = Vector256.ConditionalSelect(Vector256.Equals(b, b), larger, b);
        return Vector256.ConditionalSelect(Vector256.Equals(a, a), withNaNOfB, a);
    }
}
