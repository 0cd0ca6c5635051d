namespace Nabla;

public partial class Tensor
{
    /// <summary>
    /// A view of this tensor with its dimensions reordered by decreasing stride (ties keep their order), so that its row-major
    /// order is the order in which PyTorch's TensorIterator visits a non-contiguous output: the order random fills draw in.
    /// </summary>
    internal Tensor StorageOrderView()
    {
        int[] order = [.. Enumerable.Range(0, _shape.Length).OrderByDescending(d => _strides[d])];
        return new Tensor(_storage, [.. order.Select(d => _shape[d])], [.. order.Select(d => _strides[d])], _offset);
    }
}
