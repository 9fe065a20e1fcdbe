#!/usr/bin/python3
"""Builds the small data sets in test-data/ from the shared real data sets.

Run from the project root with Debian's python3-nibabel and python3-scipy:
    /usr/bin/python3 test-data/make_test_data.py ../shared/data
The output is deterministic; the files are committed, so this only documents their provenance.
"""
import json
import os
import shutil
import sys

import nibabel as nib
import numpy as np
from scipy import ndimage

src = sys.argv[1] if len(sys.argv) > 1 else "../shared/data"
out = os.path.dirname(os.path.abspath(__file__))

# ---- ISBI 2012 EM: five sections, unchanged (2D cases, Decathlon form, 3D files with z = 1) ----
isbi_src = os.path.join(src, "Task100_ISBI2012EM")
isbi = os.path.join(out, "Task100_ISBI2012EM_mini")
shutil.rmtree(isbi, ignore_errors=True)
os.makedirs(os.path.join(isbi, "imagesTr"))
os.makedirs(os.path.join(isbi, "labelsTr"))
training = []
for i in range(5):
    name = "isbi_%03d.nii.gz" % i
    for sub in ("imagesTr", "labelsTr"):
        shutil.copyfile(os.path.join(isbi_src, sub, name), os.path.join(isbi, sub, name))
    training.append({"image": "./imagesTr/" + name, "label": "./labelsTr/" + name})
with open(os.path.join(isbi, "dataset.json"), "w") as f:
    json.dump({
        "name": "ISBI2012EM_mini",
        "description": "First 5 of the 30 ISBI 2012 EM training sections of ../shared/data/Task100_ISBI2012EM, unchanged",
        "licence": "no licence stated for the data (challenge data by Cardona et al. 2010 / Arganda-Carreras et al. 2015)",
        "tensorImageSize": "3D",
        "modality": {"0": "EM"},
        "labels": {"0": "background", "1": "membrane"},
        "numTraining": 5, "numTest": 0, "training": training, "test": []}, f, indent=1)

# ---- BraTS: three cases cropped to the brain and downsampled 3x (3 mm), one file per channel ----
brats_src = os.path.join(src, "Task01_BrainTumour_DeepMedicSubset")
brats = os.path.join(out, "Task01_BrainTumour_mini")
shutil.rmtree(brats, ignore_errors=True)
for sub in ("imagesTr", "labelsTr", "imagesTs", "labelsTs"):
    os.makedirs(os.path.join(brats, sub))
factor = 3
# Three training cases, and a fourth as the test case that 'auto' segments with the chosen model
# (its label in labelsTs, for 'evaluate').
for case, images, labels in (("BRATS_0001", "imagesTr", "labelsTr"), ("BRATS_0002", "imagesTr", "labelsTr"),
                             ("BRATS_0003", "imagesTr", "labelsTr"), ("BRATS_0004", "imagesTs", "labelsTs")):
    img = nib.load(os.path.join(brats_src, "imagesTr", case + ".nii.gz"))
    lab = nib.load(os.path.join(brats_src, "labelsTr", case + ".nii.gz"))
    data = np.asarray(img.dataobj)
    seg = np.asarray(lab.dataobj)
    nz = np.nonzero((data != 0).any(-1))
    # Keep a 6-voxel margin of zeros so that cropping to the nonzero region still has work to do.
    lo = [max(int(a.min()) - 6, 0) for a in nz]
    hi = [min(int(a.max()) + 7, data.shape[d]) for d, a in enumerate(nz)]
    sl = tuple(slice(l, h) for l, h in zip(lo, hi))
    affine = img.affine.copy()
    affine[:3, 3] = affine[:3, :3] @ np.array(lo) + affine[:3, 3]
    affine[:3, :3] *= factor
    seg_small = seg[sl][::factor, ::factor, ::factor]
    smalls = [ndimage.zoom(data[sl + (c,)].astype(np.float32), 1.0 / factor, order=1) for c in range(data.shape[3])]
    shape = np.minimum(seg_small.shape, smalls[0].shape)
    seg_small = seg_small[:shape[0], :shape[1], :shape[2]]
    for c, small in enumerate(smalls):
        small = small[:shape[0], :shape[1], :shape[2]]
        nib.save(nib.Nifti1Image(small.astype(np.float32), affine),
                 os.path.join(brats, images, "%s_%04d.nii.gz" % (case, c)))
    nib.save(nib.Nifti1Image(seg_small.astype(np.uint8), affine), os.path.join(brats, labels, case + ".nii.gz"))
with open(os.path.join(brats, "dataset.json"), "w") as f:
    json.dump({
        "name": "BrainTumour_mini",
        "description": "BRATS_0001..0003 (training) and BRATS_0004 (test) of "
                       "../shared/data/Task01_BrainTumour_DeepMedicSubset, cropped to the brain with a "
                       "6-voxel margin and downsampled 3x (linear for images, every 3rd voxel for labels) to 3 mm",
        "licence": "CC BY-NC-SA 3.0 CH (BRATS data, modified by K. Kamnitsas; cropped and downsampled here)",
        "channel_names": {"0": "FLAIR", "1": "T1c"},
        "labels": {"background": 0, "necrosis": 1, "edema": 2, "non-enhancing tumor": 3, "enhancing tumor": 4},
        "numTraining": 3,
        "numTest": 1,
        "file_ending": ".nii.gz"}, f, indent=1)
print("wrote", isbi, "and", brats)
