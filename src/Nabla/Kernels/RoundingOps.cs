using System.Numerics;

namespace Nabla.Kernels;

// floor/ceil/round (half to even, as C's nearbyint) and 1/sqrt(x) as PyTorch's scalar kernels compute them.
internal struct FloorOp<T> : IUnaryOp<T, T> where T : IFloatingPointIeee754<T> { public static T Apply(T x) => T.Floor(x); }
internal struct CeilOp<T> : IUnaryOp<T, T> where T : IFloatingPointIeee754<T> { public static T Apply(T x) => T.Ceiling(x); }
internal struct RoundOp<T> : IUnaryOp<T, T> where T : IFloatingPointIeee754<T> { public static T Apply(T x) => T.Round(x, MidpointRounding.ToEven); }
internal struct RsqrtOp<T> : IUnaryOp<T, T> where T : IFloatingPointIeee754<T> { public static T Apply(T x) => T.One / T.Sqrt(x); }
