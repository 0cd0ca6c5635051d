using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Nabla.Kernels;

/// <summary>
/// The vector operations the GEMM micro-kernel and packing need, as an operator struct (the System.Numerics.Tensors
/// pattern): one generic kernel serves 512-, 256- and 128-bit vectors and plain scalars, for float and double.
/// </summary>
internal unsafe interface IGemmLanes<T, TVec> where T : unmanaged where TVec : struct
{
    /// <summary>Elements per vector.</summary>
    static abstract int Count { get; }

    static abstract TVec Zero { get; }

    static abstract TVec Load(T* source);

    static abstract void Store(T* destination, TVec value);

    static abstract TVec Broadcast(T value);

    /// <summary>
    /// a * b + c with the product rounded before the sum, as PyTorch's reference CPU kernels compute it: each element of C
    /// is then the same k-ordered sum as theirs, bit for bit. It costs speed: a fused multiply-add measured 10–33% faster in
    /// the packed GEMM on Zen 3 (twice the instructions leave the front end short), but moves the matmul parity goldens
    /// by up to ~5e-6 relative, outside their tolerance.
    /// </summary>
    static abstract TVec MultiplyAdd(TVec a, TVec b, TVec c);

    static abstract TVec Add(TVec a, TVec b);

    /// <summary>x &lt; 0 ? 0 : x per element, exactly as the ReLU op computes it (NaN and -0 pass through).</summary>
    static abstract TVec Relu(TVec x);
}

/// <summary>512-bit lanes (AVX-512).</summary>
internal unsafe struct Lanes512<T> : IGemmLanes<T, Vector512<T>> where T : unmanaged, INumber<T>
{
    public static int Count => Vector512<T>.Count;
    public static Vector512<T> Zero => Vector512<T>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Load(T* source) => Vector512.Load(source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(T* destination, Vector512<T> value) => value.Store(destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Broadcast(T value) => Vector512.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Add(Vector512<T> a, Vector512<T> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> MultiplyAdd(Vector512<T> a, Vector512<T> b, Vector512<T> c) => a * b + c;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Relu(Vector512<T> x) => Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<T>.Zero), Vector512<T>.Zero, x);
}

/// <summary>256-bit lanes (AVX2 + FMA).</summary>
internal unsafe struct Lanes256<T> : IGemmLanes<T, Vector256<T>> where T : unmanaged, INumber<T>
{
    public static int Count => Vector256<T>.Count;
    public static Vector256<T> Zero => Vector256<T>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Load(T* source) => Vector256.Load(source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(T* destination, Vector256<T> value) => value.Store(destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Broadcast(T value) => Vector256.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Add(Vector256<T> a, Vector256<T> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> MultiplyAdd(Vector256<T> a, Vector256<T> b, Vector256<T> c) => a * b + c;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Relu(Vector256<T> x) => Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<T>.Zero), Vector256<T>.Zero, x);
}

/// <summary>128-bit lanes (SSE, Arm64 AdvSIMD).</summary>
internal unsafe struct Lanes128<T> : IGemmLanes<T, Vector128<T>> where T : unmanaged, INumber<T>
{
    public static int Count => Vector128<T>.Count;
    public static Vector128<T> Zero => Vector128<T>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Load(T* source) => Vector128.Load(source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(T* destination, Vector128<T> value) => value.Store(destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Broadcast(T value) => Vector128.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Add(Vector128<T> a, Vector128<T> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> MultiplyAdd(Vector128<T> a, Vector128<T> b, Vector128<T> c) => a * b + c;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Relu(Vector128<T> x) => Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128<T>.Zero), Vector128<T>.Zero, x);
}

/// <summary>One element per "vector": the portable path, and the integer types' path.</summary>
internal unsafe struct ScalarLanes<T> : IGemmLanes<T, T> where T : unmanaged, INumber<T>
{
    public static int Count => 1;
    public static T Zero => T.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Load(T* source) => *source;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(T* destination, T value) => *destination = value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Broadcast(T value) => value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Add(T a, T b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T MultiplyAdd(T a, T b, T c) => a * b + c;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Relu(T x) => x < T.Zero ? T.Zero : x;
}
