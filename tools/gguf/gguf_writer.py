"""A minimal GGUF version 3 writer (written from the format description in ggml's docs/gguf.md).

File layout, all little-endian:
    magic "GGUF", uint32 version = 3, uint64 tensor count, uint64 metadata count
    metadata: (string key, uint32 value type, value) per entry
    tensor infos: (string name, uint32 n_dims, uint64 ne[n_dims], uint32 ggml type, uint64 offset)
    padding to the alignment, then the tensor data, each tensor starting at an aligned offset
A string is uint64 length + UTF-8 bytes (no terminator); an array is uint32 element type, uint64
count, elements. `ne` lists the dimensions fastest-varying first, i.e. a numpy array of shape
(rows, cols) is stored with ne = [cols, rows].

Usage:
    w = GGUFWriter()
    w.add_string("general.architecture", "llama")
    w.add_uint32("llama.block_count", 2)
    w.add_array("tokenizer.ggml.tokens", ["a", "b"], ValueType.STRING)
    w.add_tensor("token_embd.weight", numpy_array)             # F32, or dtype=GGMLType.F16
    w.add_tensor("big.weight", lambda: make(), shape=(r, c))  # produced only while writing
    w.write("model.gguf")

Tensors given as callables are produced one at a time while writing, so a large model never has to
be held in memory. The output depends only on the inputs: the same calls give the same bytes.
"""
import enum
import struct

import numpy as np

GGUF_MAGIC = b"GGUF"
GGUF_VERSION = 3
DEFAULT_ALIGNMENT = 32


class ValueType(enum.IntEnum):
    UINT8 = 0
    INT8 = 1
    UINT16 = 2
    INT16 = 3
    UINT32 = 4
    INT32 = 5
    FLOAT32 = 6
    BOOL = 7
    STRING = 8
    ARRAY = 9
    UINT64 = 10
    INT64 = 11
    FLOAT64 = 12


class GGMLType(enum.IntEnum):
    """The ggml tensor types this writer stores (their numbers in ggml's enum ggml_type)."""
    F32 = 0
    F16 = 1


# struct format of each fixed-size value type
_SCALAR_FORMAT = {
    ValueType.UINT8: "<B", ValueType.INT8: "<b", ValueType.UINT16: "<H", ValueType.INT16: "<h",
    ValueType.UINT32: "<I", ValueType.INT32: "<i", ValueType.FLOAT32: "<f", ValueType.BOOL: "<?",
    ValueType.UINT64: "<Q", ValueType.INT64: "<q", ValueType.FLOAT64: "<d",
}

_NUMPY_DTYPE = {GGMLType.F32: np.float32, GGMLType.F16: np.float16}


def _string(text):
    data = text.encode("utf-8") if isinstance(text, str) else bytes(text)
    return struct.pack("<Q", len(data)) + data


def _value(vtype, value):
    if vtype == ValueType.STRING:
        return _string(value)
    if vtype == ValueType.BOOL:
        return struct.pack("<?", bool(value))
    return struct.pack(_SCALAR_FORMAT[vtype], value)


def _array(elem_type, values):
    values = list(values)
    head = struct.pack("<IQ", int(elem_type), len(values))
    if elem_type == ValueType.STRING:
        return head + b"".join(_string(v) for v in values)
    if elem_type == ValueType.ARRAY:
        raise ValueError("nested arrays are not written by this writer")
    # numbers in one go: a vocabulary's scores are long arrays
    fmt = _SCALAR_FORMAT[elem_type]
    return head + np.asarray(values, dtype=np.dtype(fmt)).tobytes()


def _padding(size, alignment):
    return (alignment - size % alignment) % alignment


class _Tensor:
    def __init__(self, name, source, shape, ggml_type):
        self.name = name
        self.source = source          # numpy array, or a callable returning one
        self.shape = tuple(int(d) for d in shape)
        self.ggml_type = GGMLType(ggml_type)

    @property
    def nbytes(self):
        return int(np.prod(self.shape, dtype=np.int64)) * np.dtype(_NUMPY_DTYPE[self.ggml_type]).itemsize

    def data(self):
        array = self.source() if callable(self.source) else self.source
        array = np.ascontiguousarray(array, dtype=_NUMPY_DTYPE[self.ggml_type])
        if array.shape != self.shape:
            raise ValueError(f"{self.name}: produced shape {array.shape}, declared {self.shape}")
        return array.astype(array.dtype.newbyteorder("<"), copy=False).tobytes()


class _RawTensor:
    def __init__(self, name, data, shape, ggml_type):
        self.name, self._data, self.shape, self.ggml_type = name, data, tuple(int(d) for d in shape), int(ggml_type)
        self.nbytes = len(data)

    def data(self):
        return self._data


class GGUFWriter:
    def __init__(self, alignment=DEFAULT_ALIGNMENT):
        self.alignment = alignment
        self._metadata = []  # (key, encoded type + value)
        self._keys = set()
        self._tensors = []
        if alignment != DEFAULT_ALIGNMENT:
            self.add_uint32("general.alignment", alignment)

    # --- metadata ------------------------------------------------------------------------------
    def add(self, key, value, vtype):
        """Adds one scalar entry of the given ValueType."""
        self._add_encoded(key, struct.pack("<I", int(vtype)) + _value(ValueType(vtype), value))

    def add_array(self, key, values, elem_type):
        self._add_encoded(key, struct.pack("<I", int(ValueType.ARRAY)) + _array(ValueType(elem_type), values))

    def add_string(self, key, value):
        self.add(key, value, ValueType.STRING)

    def add_bool(self, key, value):
        self.add(key, value, ValueType.BOOL)

    def add_uint32(self, key, value):
        self.add(key, value, ValueType.UINT32)

    def add_int32(self, key, value):
        self.add(key, value, ValueType.INT32)

    def add_uint64(self, key, value):
        self.add(key, value, ValueType.UINT64)

    def add_float32(self, key, value):
        self.add(key, value, ValueType.FLOAT32)

    def remove(self, key):
        """Drops a metadata entry (the refused-file variants of the fixtures change keys)."""
        self._metadata = [(k, e) for k, e in self._metadata if k != key]
        self._keys.discard(key)

    def _add_encoded(self, key, encoded):
        if key in self._keys:
            raise ValueError(f"duplicate metadata key {key}")
        self._keys.add(key)
        self._metadata.append((key, encoded))

    # --- tensors -------------------------------------------------------------------------------
    def add_tensor(self, name, source, shape=None, dtype=GGMLType.F32):
        """source: a numpy array (numpy shape order), or a callable returning one of `shape`."""
        if shape is None:
            if callable(source):
                raise ValueError(f"{name}: a produced tensor needs its shape")
            shape = np.shape(source)
        if any(t.name == name for t in self._tensors):
            raise ValueError(f"duplicate tensor {name}")
        self._tensors.append(_Tensor(name, source, shape, dtype))

    def remove_tensor(self, name):
        self._tensors = [t for t in self._tensors if t.name != name]

    def add_raw_tensor(self, name, shape, ggml_type, data):
        """A tensor of any ggml type from its encoded bytes (block layouts are the caller's)."""
        if any(t.name == name for t in self._tensors):
            raise ValueError(f"duplicate tensor {name}")
        self._tensors.append(_RawTensor(name, bytes(data), shape, ggml_type))

    # --- output --------------------------------------------------------------------------------
    def _header(self):
        out = [GGUF_MAGIC, struct.pack("<IQQ", GGUF_VERSION, len(self._tensors), len(self._metadata))]
        for key, encoded in self._metadata:
            out.append(_string(key))
            out.append(encoded)
        offset = 0
        for t in self._tensors:
            ne = list(reversed(t.shape))
            out.append(_string(t.name))
            out.append(struct.pack("<I", len(ne)) + struct.pack(f"<{len(ne)}Q", *ne))
            out.append(struct.pack("<IQ", int(t.ggml_type), offset))
            offset += t.nbytes + _padding(t.nbytes, self.alignment)
        header = b"".join(out)
        return header + b"\0" * _padding(len(header), self.alignment)

    def write_split(self, prefix, count):
        """The file as llama.cpp's gguf-split writes it: PREFIX-0000i-of-0000N.gguf, the tensors in
        file order cut into `count` runs, all metadata in the first shard; every shard says its
        split.no (0-based, uint16) and split.count (uint16), the first split.tensors.count (int32)."""
        tensors, metadata = self._tensors, self._metadata
        per = -(-len(tensors) // count)
        split_key = lambda key, value, vtype: (key, struct.pack("<I", int(vtype)) + _value(vtype, value))
        try:
            for i in range(count):
                self._tensors = tensors[i * per:(i + 1) * per]
                self._metadata = (metadata if i == 0 else []) + [split_key("split.no", i, ValueType.UINT16),
                                                                 split_key("split.count", count, ValueType.UINT16)]
                if i == 0:
                    self._metadata.append(split_key("split.tensors.count", len(tensors), ValueType.INT32))
                self.write(f"{prefix}-{i + 1:05d}-of-{count:05d}.gguf")
        finally:
            self._tensors, self._metadata = tensors, metadata

    def write(self, path):
        with open(path, "wb") as f:
            f.write(self._header())
            for t in self._tensors:
                data = t.data()
                if len(data) != t.nbytes:
                    raise ValueError(f"{t.name}: {len(data)} bytes, expected {t.nbytes}")
                f.write(data)
                f.write(b"\0" * _padding(len(data), self.alignment))
