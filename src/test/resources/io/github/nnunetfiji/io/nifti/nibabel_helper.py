"""nibabel side of the NIfTI interoperability tests (run with a Python that has nibabel).

  nibabel_helper.py report LIST_FILE   one JSON line per file listed (one path a line)
  nibabel_helper.py make DIR           write fixtures with nibabel into DIR, then report on them

A report line holds what nibabel reads: shape, zooms, affine (img.affine), qform, codes,
datatype, scaling, and the SHA-256 of the voxel values as float64 little-endian in Fortran
(x fastest) order. nibabel scales in float64; the Java reader keeps scaled values of narrow
datatypes as float32, so for those the values are rounded to float32 before hashing.
"""
import gzip
import hashlib
import json
import os
import struct
import sys

import numpy as np
import nibabel as nib


def report(path):
    img = nib.load(path)
    hdr = img.header
    # A loaded image's header has its scaling reset; the data proxy holds what was in the file.
    slope, inter = float(img.dataobj.slope), float(img.dataobj.inter)
    scaled = (slope, inter) != (1.0, 0.0)
    raw_dtype = hdr.get_data_dtype()
    values = img.get_fdata(dtype=np.float64)
    if scaled and raw_dtype.name not in ('int32', 'float64'):
        values = values.astype(np.float32).astype(np.float64)
    digest = hashlib.sha256(values.astype('<f8').tobytes(order='F')).hexdigest()
    return {
        'path': path,
        'shape': [int(s) for s in img.shape],
        'zooms': [float(z) for z in hdr.get_zooms()],
        'affine': img.affine.tolist(),
        'qform': hdr.get_qform().tolist(),
        'qform_code': int(hdr['qform_code']),
        'sform_code': int(hdr['sform_code']),
        'dtype': raw_dtype.name,
        'big_endian': hdr.endianness == '>',
        'scaled': bool(scaled),
        'sha256': digest,
    }


def emit(paths):
    out = sys.stdout
    for p in paths:
        try:
            line = report(p)
        except Exception as e:  # reported to the Java side, which fails the test with it
            line = {'path': p, 'error': '%s: %s' % (type(e).__name__, e)}
        out.write(json.dumps(line) + '\n')
        out.flush()


def rotated_affine(spacing, origin, left_handed=False):
    a, b = np.deg2rad(30), np.deg2rad(-20)
    rz = np.array([[np.cos(a), -np.sin(a), 0], [np.sin(a), np.cos(a), 0], [0, 0, 1]])
    rx = np.array([[1, 0, 0], [0, np.cos(b), -np.sin(b)], [0, np.sin(b), np.cos(b)]])
    r = rz @ rx
    if left_handed:
        r[:, 2] *= -1
    aff = np.eye(4)
    aff[:3, :3] = r @ np.diag(spacing)
    aff[:3, 3] = origin
    return aff


def save(img, path):
    nib.save(img, path)
    return path


def patch_scaling(path, slope, inter):
    """Sets scl_slope/scl_inter in the saved file itself (nibabel recomputes them on save)."""
    with open(path, 'rb') as f:
        data = bytearray(f.read())
    endian = '<' if struct.unpack('<i', bytes(data[:4]))[0] == 348 else '>'
    data[112:116] = struct.pack(endian + 'f', slope)
    data[116:120] = struct.pack(endian + 'f', inter)
    with open(path, 'wb') as f:
        f.write(bytes(data))


def gzip_file(path):
    with open(path, 'rb') as f:
        data = f.read()
    with gzip.open(path + '.gz', 'wb', compresslevel=6) as f:
        f.write(data)
    os.remove(path)
    return path + '.gz'


def make(d):
    rng = np.random.default_rng(1234)
    paths = []
    shape = (7, 6, 5)
    dtypes = ['uint8', 'int8', 'int16', 'uint16', 'int32', 'float32', 'float64']

    def values(dt, shp=shape):
        if dt.startswith('float'):
            v = rng.normal(0, 1000, size=shp).astype(dt)
            v.flat[0] = -0.0
            v.flat[1] = np.finfo(dt).max
            v.flat[2] = np.finfo(dt).tiny
            return v
        info = np.iinfo(dt)
        v = rng.integers(info.min, info.max, size=shp, endpoint=True).astype(dt)
        v.flat[0] = info.min
        v.flat[1] = info.max
        return v

    for dt in dtypes:
        for endian in ('<', '>'):
            hdr = nib.Nifti1Header(endianness=endian)
            hdr.set_data_dtype(dt)
            img = nib.Nifti1Image(values(dt), rotated_affine((0.7, 0.8, 2.5), (-90.5, 12.25, 30)), hdr)
            name = 'dtype_%s_%s.nii' % (dt, 'be' if endian == '>' else 'le')
            p = save(img, os.path.join(d, name))
            paths.append(gzip_file(p) if endian == '<' else p)

    scalings = [('uint8', 0.3, 1.7), ('int8', -1.0, 0.0), ('int16', 0.5, -10.0), ('uint16', 2.0, 0.0),
                ('int32', 0.25, 3.0), ('float32', 1.5, 0.25), ('float64', 3.0, -1.0),
                ('int16', 1.0, 0.0), ('int16', 0.0, 5.0), ('int16', float('nan'), 0.0), ('float32', 1.0, -1024.0)]
    for i, (dt, slope, inter) in enumerate(scalings):
        for endian in ('<', '>'):
            hdr = nib.Nifti1Header(endianness=endian)
            hdr.set_data_dtype(dt)
            img = nib.Nifti1Image(values(dt), np.diag([1.5, 1.5, 3, 1]), hdr)
            p = save(img, os.path.join(d, 'scaled_%d_%s_%s.nii' % (i, dt, 'be' if endian == '>' else 'le')))
            patch_scaling(p, slope, inter)
            paths.append(p)

    # qform only (right- and left-handed), sform only with shear, pixdim only.
    for lh in (False, True):
        img = nib.Nifti1Image(values('int16'), None)
        img.set_qform(rotated_affine((1.2, 0.9, 3.0), (10, -20, 30.5), left_handed=lh), code=1)
        img.set_sform(None, code=0)
        paths.append(save(img, os.path.join(d, 'qform_only_%s.nii' % ('lh' if lh else 'rh'))))
    shear = np.array([[0.9, 0.1, 0.05, -3], [0.02, -1.1, 0.2, 4], [0.01, 0.03, 2.5, 5], [0, 0, 0, 1]])
    img = nib.Nifti1Image(values('float32'), shear)
    img.set_qform(None, code=0)
    img.set_sform(shear, code=4)
    paths.append(save(img, os.path.join(d, 'sform_shear.nii.gz')))
    img = nib.Nifti1Image(values('uint8'), None)
    img.header.set_zooms((2.0, 3.0, 4.0))
    img.set_qform(None, code=0)
    img.set_sform(None, code=0)
    paths.append(save(img, os.path.join(d, 'pixdim_only.nii')))

    # 2D, 4D, 5D (channels in dim[5]), and an extension pushing vox_offset beyond 352.
    img = nib.Nifti1Image(values('uint16', (9, 4)), np.diag([0.5, 0.25, 1, 1]))
    paths.append(save(img, os.path.join(d, 'two_d.nii.gz')))
    img = nib.Nifti1Image(values('uint16', (9, 4)), None)
    img.header.set_zooms((0.5, 0.25))
    img.set_qform(None, code=0)
    img.set_sform(None, code=0)
    paths.append(save(img, os.path.join(d, 'two_d_pixdim_only.nii')))
    img = nib.Nifti1Image(values('float32', (6, 5, 4, 3)), rotated_affine((1, 1, 1), (0, 0, 0)))
    paths.append(save(img, os.path.join(d, 'four_d.nii.gz')))
    hdr = nib.Nifti1Header(endianness='>')
    img = nib.Nifti1Image(values('int16', (6, 5, 4, 1, 2)), np.diag([2, 2, 2, 1]), hdr)
    paths.append(save(img, os.path.join(d, 'five_d_be.nii')))
    img = nib.Nifti1Image(values('float64', (5, 4, 3)), np.eye(4))
    img.header.extensions.append(nib.nifti1.Nifti1Extension('comment', b'written with an extension'))
    paths.append(save(img, os.path.join(d, 'extension.nii')))
    emit(paths)


if __name__ == '__main__':
    if sys.argv[1] == 'report':
        with open(sys.argv[2]) as f:
            emit([line.strip() for line in f if line.strip()])
    elif sys.argv[1] == 'make':
        make(sys.argv[2])
    else:
        sys.exit('usage: nibabel_helper.py report LIST_FILE | make DIR')
