"""goarray arrays as dask.array chunks.

dask is not imported by ``import goarray``: the chunk type is registered
when ``dask.array`` is already imported at that point, and by
:func:`register_dask`, which imports it.

>>> import dask.array as da, goarray as ga
>>> ga.register_dask()
True
>>> x = da.from_array(ga.arange(12.0).reshape(3, 4), chunks=2)
>>> float(x.sum().compute())
66.0
"""
import sys

_registered = False


def register_dask():
    """Register :class:`goarray.Array` as a dask.array chunk type.

    Dask arrays then take precedence over goarray arrays in mixed
    operations (``goarray_array + dask_array`` is a dask array) and dask
    treats goarray chunks as arrays.

    Returns
    -------
    bool
        True once registered (calling again is harmless); False when the
        installed dask has no chunk-type registry (its query-planning array
        backend raises NotImplementedError there: goarray chunks then work
        through numpy's protocols alone).

    Raises
    ------
    ImportError
        dask (``dask[array]``) is not installed.

    Notes
    -----
    ``import goarray`` registers the chunk type by itself when
    ``dask.array`` is already imported; otherwise call this once.

    Examples
    --------
    >>> import numpy as np, dask.array as da, goarray as ga
    >>> ga.register_dask()
    True
    >>> x = da.from_array(np.arange(4.0), chunks=2)
    >>> type(ga.arange(4.0) + x).__name__, (ga.arange(4.0) + x).compute().tolist()
    ('Array', [0.0, 2.0, 4.0, 6.0])
    >>> type(ga.arange(4.0) + x).__module__
    'dask.array.core'
    """
    global _registered
    if _registered:
        return True
    import dask.array as da

    from ._array import Array
    register = getattr(da, "register_chunk_type", None)
    if register is None:
        from dask.array.chunk_types import register_chunk_type as register
    try:
        register(Array)
    except NotImplementedError:
        return False
    _registered = True
    return True


def register_if_imported():
    """register_dask() if dask.array is already imported (import goarray)."""
    if "dask.array" in sys.modules:
        try:
            register_dask()
        except Exception:  # noqa: BLE001  (a broken dask must not break import goarray)
            pass
