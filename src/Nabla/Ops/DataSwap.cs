namespace Nabla;

public partial class Tensor
{
    /// <summary>
    /// Points this tensor at <paramref name="source"/>'s storage, shape and dtype while keeping its identity, grad and leaf status
    /// (PyTorch's <c>tensor.data = other</c>, which <c>module.to(dtype)</c> uses so that parameters stay the same objects).
    /// </summary>
    internal void SetData(Tensor source)
    {
        _storage = source._storage;
        _shape = source._shape;
        _strides = source._strides;
        _offset = source._offset;
        _numel = source._numel;
        _contiguous = source._contiguous;
    }
}
