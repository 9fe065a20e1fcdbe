#!/usr/bin/python3
"""bench/reference-model.sh's PyTorch side: a model in the reference implementation's (nnU-Net v2)
trained-model layout, made and used here without the reference itself.

  train DATASET OUT MINUTES THREADS
      Trains a 2D PlainConvUNet (the reference's module structure and state-dict names, from
      src/test/resources/.../inference/reference/make_reference_unets.py) on the ISBI sections of
      DATASET outside the reference's fold 0 validation (isbi_003, 008, 012, 015, 018, 026), on the
      CPU for MINUTES: z-score normalization per section (what the reference's plans say for this
      channel), random 128x128 patches with flips and 90-degree turns, Adam, cross-entropy plus soft
      Dice. Writes OUT/Dataset100_ISBI2012EM/nnUNetTrainer__nnUNetPlans__2d/ with plans.json,
      dataset.json, dataset_fingerprint.json and fold_0/checkpoint_final.pth in the reference's formats.
  predict TRAINER_FOLDER IMAGE OUT THREADS
      The reference's prediction of one image, written here: z-score, sliding window with half-patch
      steps and the Gaussian importance map (sigma 1/8 of the patch), logits averaged over the
      mirrorings the checkpoint allows, softmax, argmax. Writes the labels as NIfTI; prints the time.
  compare REFERENCE JAVA TRUTH
      Agreement of two label files (fraction of equal pixels, Dice per class between them) and each
      one's Dice against the ground truth.
Needs Debian's python3-torch, python3-nibabel, python3-scipy.
"""
import json
import os
import sys
import time

import nibabel as nib
import numpy as np
import torch
import torch.nn.functional as F
from scipy.ndimage import gaussian_filter

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'src', 'test', 'resources', 'io', 'github', 'nnunetfiji', 'inference',
                                'reference'))
from make_reference_unets import PlainConvUNet, architecture  # noqa: E402

VALIDATION = ['isbi_003', 'isbi_008', 'isbi_012', 'isbi_015', 'isbi_018', 'isbi_026']
NET = dict(dims=2, cin=1, classes=2, features=[8, 16, 32, 64, 64], kernels=[[3, 3]] * 5,
           strides=[[1, 1]] + [[2, 2]] * 4, n=2)
PATCH = [128, 128]


def read(path):
    """A 512x512x1 NIfTI section as the reference reads it: (z, y, x), i.e. the array's axes reversed."""
    img = nib.load(path)
    return np.asarray(img.dataobj).astype(np.float32).transpose(2, 1, 0), img


def zscore(a):
    return (a - a.mean()) / max(float(a.std()), 1e-8)


def train(dataset, out, minutes, threads):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    cases = sorted(f[:-7] for f in os.listdir(os.path.join(dataset, 'imagesTr')) if f.endswith('.nii.gz'))
    training = [c for c in cases if c not in VALIDATION]
    images, labels, intensities = [], [], []
    for c in training:
        image, _ = read(os.path.join(dataset, 'imagesTr', c + '.nii.gz'))
        label, _ = read(os.path.join(dataset, 'labelsTr', c + '.nii.gz'))
        images.append(zscore(image[0]))
        labels.append(label[0].astype(np.int64))
        intensities.append(image[0][label[0] > 0])
    fg = np.concatenate(intensities)
    net = PlainConvUNet(1, NET['features'], 2, NET['kernels'], NET['strides'], NET['n'], NET['classes'])
    opt = torch.optim.Adam(net.parameters(), 2e-3)
    start = time.time()
    steps = 0
    net.train()
    while time.time() - start < minutes * 60:
        xs, ys = [], []
        for _ in range(4):
            k = rng.integers(len(images))
            y0, x0 = rng.integers(0, 512 - PATCH[0] + 1), rng.integers(0, 512 - PATCH[1] + 1)
            x = images[k][y0:y0 + PATCH[0], x0:x0 + PATCH[1]]
            y = labels[k][y0:y0 + PATCH[0], x0:x0 + PATCH[1]]
            turns = rng.integers(4)
            x, y = np.rot90(x, turns), np.rot90(y, turns)
            if rng.random() < 0.5:
                x, y = x[:, ::-1], y[:, ::-1]
            xs.append(x.copy())
            ys.append(y.copy())
        x = torch.from_numpy(np.stack(xs))[:, None]
        y = torch.from_numpy(np.stack(ys))
        logits = net(x)
        p = torch.softmax(logits, 1)[:, 1]
        t = (y == 1).float()
        dice = (2 * (p * t).sum() + 1e-5) / (p.sum() + t.sum() + 1e-5)
        loss = F.cross_entropy(logits, y) + (1 - dice)
        opt.zero_grad()
        loss.backward()
        opt.step()
        steps += 1
    net.eval()
    print(f'python_training_steps={steps} python_training_seconds={time.time() - start:.0f} last_loss={loss.item():.3f}')

    folder = os.path.join(out, 'Dataset100_ISBI2012EM', 'nnUNetTrainer__nnUNetPlans__2d')
    os.makedirs(os.path.join(folder, 'fold_0'), exist_ok=True)
    props = {'max': float(fg.max()), 'mean': float(fg.mean()), 'median': float(np.median(fg)), 'min': float(fg.min()),
             'percentile_00_5': float(np.percentile(fg, 0.5)), 'percentile_99_5': float(np.percentile(fg, 99.5)),
             'std': float(fg.std())}
    kwargs = {'is_seg': False, 'order': 3, 'order_z': 0, 'force_separate_z': None}
    configuration = {
        'data_identifier': 'nnUNetPlans_2d', 'preprocessor_name': 'DefaultPreprocessor', 'batch_size': 4,
        'patch_size': PATCH, 'median_image_size_in_voxels': [512.0, 512.0], 'spacing': [1.0, 1.0],
        'normalization_schemes': ['ZScoreNormalization'], 'use_mask_for_norm': [False],
        'resampling_fn_data': 'resample_data_or_seg_to_shape', 'resampling_fn_seg': 'resample_data_or_seg_to_shape',
        'resampling_fn_data_kwargs': kwargs,
        'resampling_fn_seg_kwargs': {'is_seg': True, 'order': 1, 'order_z': 0, 'force_separate_z': None},
        'resampling_fn_probabilities': 'resample_data_or_seg_to_shape',
        'resampling_fn_probabilities_kwargs': {'is_seg': False, 'order': 1, 'order_z': 0, 'force_separate_z': None},
        'architecture': architecture(NET), 'batch_dice': True,
    }
    plans = {'dataset_name': 'Dataset100_ISBI2012EM', 'plans_name': 'nnUNetPlans',
             'original_median_spacing_after_transp': [1.0, 1.0, 1.0],
             'original_median_shape_after_transp': [1, 512, 512], 'image_reader_writer': 'SimpleITKIO',
             'transpose_forward': [0, 1, 2], 'transpose_backward': [0, 1, 2],
             'configurations': {'2d': configuration}, 'experiment_planner_used': 'ExperimentPlanner',
             'label_manager': 'LabelManager', 'foreground_intensity_properties_per_channel': {'0': props}}
    dataset = {'channel_names': {'0': 'EM'}, 'labels': {'background': 0, 'membrane': 1},
               'numTraining': len(cases), 'file_ending': '.nii.gz'}
    fingerprint = {'foreground_intensity_properties_per_channel': {'0': props},
                   'median_relative_size_after_cropping': 1.0, 'spacings': [[1.0, 1.0, 1.0]] * len(cases),
                   'shapes_after_crop': [[1, 512, 512]] * len(cases)}
    for name, o in (('plans.json', plans), ('dataset.json', dataset), ('dataset_fingerprint.json', fingerprint)):
        with open(os.path.join(folder, name), 'w') as f:
            json.dump(o, f, indent=1)
    torch.save({'network_weights': net.state_dict(), 'optimizer_state': opt.state_dict(), 'grad_scaler_state': None,
                'logging': {'train_losses': [float(loss.item())]}, '_best_ema': None, 'current_epoch': steps,
                'init_args': {'plans': plans, 'configuration': '2d', 'fold': 0, 'dataset_json': dataset,
                              'device': torch.device('cpu')},
                'trainer_name': 'nnUNetTrainer', 'inference_allowed_mirroring_axes': (0, 1)},
               os.path.join(folder, 'fold_0', 'checkpoint_final.pth'))
    print('trainer_folder=' + folder)


def steps(size, tile, step=0.5):
    n = int(np.ceil((size - tile) / (tile * step))) + 1
    actual = (size - tile) / (n - 1) if n > 1 else 0
    return [int(np.round(actual * i)) for i in range(n)]


def gaussian(tile):
    g = np.zeros(tile)
    g[tuple(t // 2 for t in tile)] = 1
    g = gaussian_filter(g, [t / 8 for t in tile], 0, mode='constant', cval=0)
    g = g / g.max() * 10
    g[g == 0] = g[g != 0].min()
    return torch.from_numpy(g.astype(np.float32))


def predict(folder, image_file, out, threads):
    torch.set_num_threads(threads)
    plans = json.load(open(os.path.join(folder, 'plans.json')))
    c = plans['configurations']['2d']
    k = c['architecture']['arch_kwargs']
    ckpt = torch.load(os.path.join(folder, 'fold_0', 'checkpoint_final.pth'))
    net = PlainConvUNet(1, k['features_per_stage'], 2, k['kernel_sizes'], k['strides'], k['n_conv_per_stage'][0], 2)
    net.load_state_dict(ckpt['network_weights'])
    net.eval()
    start = time.time()
    image, img = read(image_file)
    x = torch.from_numpy(zscore(image[0]))[None, None]
    tile = c['patch_size']
    g = gaussian(tile)
    logits = torch.zeros((2,) + x.shape[2:])
    weight = torch.zeros(x.shape[2:])
    axes = [a + 2 for a in ckpt['inference_allowed_mirroring_axes']]
    flips = [[]] + [[a] for a in axes] + ([axes] if len(axes) == 2 else [])
    with torch.no_grad():
        for y0 in steps(x.shape[2], tile[0]):
            for x0 in steps(x.shape[3], tile[1]):
                patch = x[:, :, y0:y0 + tile[0], x0:x0 + tile[1]]
                p = sum(torch.flip(net(torch.flip(patch, f)), f) if f else net(patch) for f in flips) / len(flips)
                logits[:, y0:y0 + tile[0], x0:x0 + tile[1]] += p[0] * g
                weight[y0:y0 + tile[0], x0:x0 + tile[1]] += g
    labels = torch.softmax(logits / weight, 0).argmax(0).numpy().astype(np.uint8)
    seconds = time.time() - start
    nib.save(nib.Nifti1Image(labels[None].transpose(2, 1, 0), img.affine), out)
    print(f'python_seconds={seconds:.2f}')


def dice(a, b, c):
    s = (a == c).sum() + (b == c).sum()
    return 2 * ((a == c) & (b == c)).sum() / s if s else float('nan')


def compare(reference, java, truth):
    r, j, t = (np.rint(np.asarray(nib.load(f).dataobj)).astype(int) for f in (reference, java, truth))
    print(f'equal_pixels={(r == j).mean():.5f}')
    for c, name in ((0, 'background'), (1, 'membrane')):
        print(f'dice_between_{name}={dice(r, j, c):.4f} dice_python_vs_truth_{name}={dice(r, t, c):.4f} '
              f'dice_java_vs_truth_{name}={dice(j, t, c):.4f}')


if __name__ == '__main__':
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == 'train':
        train(args[0], args[1], float(args[2]), int(args[3]))
    elif cmd == 'predict':
        predict(args[0], args[1], args[2], int(args[3]))
    else:
        compare(*args)
