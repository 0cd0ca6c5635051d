namespace Nabla.Kernels;

/// <summary>
/// A 2-D sliding window over a [height, width] plane: kernel, stride, leading padding and dilation, and the
/// size of the grid of window positions (given, not derived, so asymmetric padding and transposed convs fit).
/// A window position (oh, ow) covers rows oh·StrideH − PadTop + i·DilationH for i &lt; KernelH (and likewise columns).
/// </summary>
internal readonly record struct Window2d(
    int Height, int Width,
    int KernelH, int KernelW,
    int StrideH, int StrideW,
    int PadTop, int PadLeft,
    int DilationH, int DilationW,
    int OutH, int OutW)
{
    /// <summary>Input elements in one plane.</summary>
    public int Plane => Height * Width;

    /// <summary>Window positions in one plane.</summary>
    public int OutPlane => OutH * OutW;

    /// <summary>Elements in one window.</summary>
    public int KernelSize => KernelH * KernelW;

    /// <summary>Whether every tap of every window lies inside the plane (no padding is read).</summary>
    public bool InsidePlane => PadTop == 0 && PadLeft == 0
        && (OutH - 1) * StrideH + (KernelH - 1) * DilationH < Height && (OutW - 1) * StrideW + (KernelW - 1) * DilationW < Width;
}
