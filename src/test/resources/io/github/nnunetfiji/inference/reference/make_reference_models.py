"""Writes trained-model folders in the reference implementation's (nnU-Net v2) layout and formats,
as ReferenceModelImportTest imports them, with PyTorch's predictions on known inputs.

Run with Debian's PyTorch (apt-get install python3-torch), from this folder:
    /usr/bin/python3 make_reference_models.py
Writes models/Dataset998_Tiny/nnUNetTrainer__nnUNetPlans__2d/ and .../__3d_fullres/, each with
plans.json, dataset.json, dataset_fingerprint.json and fold_0/checkpoint_final.pth (the 2D model
also crossval_results_folds_0/postprocessing.json, keeping the largest foreground component), and
models_io.pth: per model an input image (the reference's z, y, x order, one patch in size, no
zeros, so nothing is cropped, at the planned spacing, so nothing is resampled), its normalization
as the reference computes it (2D: z-score; 3D: channel 0 CT with the plans' foreground statistics,
channel 1 z-score) and the softmax of the network on it; the 2D model also the mean of the softmax
over the one mirroring its checkpoint allows (x), as this project averages mirrored passes.
Also writes ../../io/torch/state_dict_torch2.pth: ../../io/torch/state_dict.pth rewritten in the layout PyTorch
2.x writes (top folder 'archive', .format_version, .storage_alignment, byteorder, version,
.data/serialization_id, every entry stored and its data aligned to 64 bytes).
Deterministic (fixed seeds). The networks come from make_reference_unets.py.
"""
import json
import os
import struct
import zipfile

import torch

from make_reference_unets import PlainConvUNet, architecture


def configuration(c, spacing, patch, schemes, masks):
    d = c['dims']
    return {
        'data_identifier': 'nnUNetPlans_' + ('2d' if d == 2 else '3d_fullres'),
        'preprocessor_name': 'DefaultPreprocessor', 'batch_size': 2, 'patch_size': patch,
        'median_image_size_in_voxels': patch, 'spacing': spacing,
        'normalization_schemes': schemes, 'use_mask_for_norm': masks,
        'resampling_fn_data': 'resample_data_or_seg_to_shape',
        'resampling_fn_seg': 'resample_data_or_seg_to_shape',
        'resampling_fn_data_kwargs': {'is_seg': False, 'order': 3, 'order_z': 0, 'force_separate_z': None},
        'resampling_fn_seg_kwargs': {'is_seg': True, 'order': 1, 'order_z': 0, 'force_separate_z': None},
        'resampling_fn_probabilities': 'resample_data_or_seg_to_shape',
        'resampling_fn_probabilities_kwargs': {'is_seg': False, 'order': 1, 'order_z': 0,
                                               'force_separate_z': None},
        'architecture': architecture(c), 'batch_dice': True,
    }


FOREGROUND = {'max': 1500.0, 'mean': 120.0, 'median': 110.0, 'min': -900.0,
              'percentile_00_5': -200.0, 'percentile_99_5': 400.0, 'std': 150.0}


def zscore(x):
    return (x - x.mean()) / max(x.std(unbiased=False).item(), 1e-8)


def ct(x, p):
    x = x.clamp(p['percentile_00_5'], p['percentile_99_5'])
    return (x - p['mean']) / max(p['std'], 1e-8)


MODELS = {
    '2d': dict(net=dict(dims=2, cin=1, classes=3, features=[4, 8, 16], kernels=[[3, 3], [3, 3], [3, 3]],
                        strides=[[1, 1], [2, 2], [2, 2]], n=2),
               patch=[16, 12], spacing=[0.5, 0.5], full_spacing=[1.0, 0.5, 0.5], schemes=['ZScoreNormalization'],
               channels={'0': 'EM'}, labels={'background': 0, 'membrane': 1, 'cell': 2}, mirror=(1,)),
    '3d_fullres': dict(net=dict(dims=3, cin=2, classes=2, features=[4, 8, 12],
                                kernels=[[1, 3, 3], [3, 3, 3], [3, 3, 3]],
                                strides=[[1, 1, 1], [1, 2, 2], [2, 2, 2]], n=2),
                       patch=[4, 8, 12], spacing=[3.0, 1.0, 1.0], full_spacing=[3.0, 1.0, 1.0],
                       schemes=['CTNormalization', 'ZScoreNormalization'], channels={'0': 'CT', '1': 'MR'},
                       labels={'background': 0, 'organ': 1}, mirror=(0, 1, 2)),
}


def write_json(path, o):
    with open(path, 'w') as f:
        json.dump(o, f, indent=1)
        f.write('\n')


def main():
    io = {}
    for name, m in MODELS.items():
        c = m['net']
        torch.manual_seed(11 if name == '2d' else 12)
        net = PlainConvUNet(c['cin'], c['features'], c['dims'], c['kernels'], c['strides'], c['n'], c['classes'])
        with torch.no_grad():
            for p_name, p in net.named_parameters():
                if 'norm' in p_name:
                    p.add_(torch.randn_like(p) * 0.3)
        net.eval()
        plans = {
            'dataset_name': 'Dataset998_Tiny', 'plans_name': 'nnUNetPlans',
            'original_median_spacing_after_transp': m['full_spacing'],
            'original_median_shape_after_transp': [1] + m['patch'] if c['dims'] == 2 else m['patch'],
            'image_reader_writer': 'SimpleITKIO', 'transpose_forward': [0, 1, 2], 'transpose_backward': [0, 1, 2],
            'configurations': {name: configuration(c, m['spacing'], m['patch'], m['schemes'],
                                                   [False] * len(m['schemes']))},
            'experiment_planner_used': 'ExperimentPlanner', 'label_manager': 'LabelManager',
            'foreground_intensity_properties_per_channel': {str(i): FOREGROUND for i in range(c['cin'])},
        }
        dataset = {'channel_names': m['channels'], 'labels': m['labels'], 'numTraining': 4,
                   'file_ending': '.nii.gz'}
        fingerprint = {'foreground_intensity_properties_per_channel': plans['foreground_intensity_properties_per_channel'],
                       'median_relative_size_after_cropping': 1.0, 'spacings': [m['full_spacing']] * 4,
                       'shapes_after_crop': [plans['original_median_shape_after_transp']] * 4}
        folder = os.path.join('models', 'Dataset998_Tiny', 'nnUNetTrainer__nnUNetPlans__' + name)
        os.makedirs(os.path.join(folder, 'fold_0'), exist_ok=True)
        write_json(os.path.join(folder, 'plans.json'), plans)
        write_json(os.path.join(folder, 'dataset.json'), dataset)
        write_json(os.path.join(folder, 'dataset_fingerprint.json'), fingerprint)
        torch.save({'network_weights': net.state_dict(), 'optimizer_state': None, 'grad_scaler_state': None,
                    'logging': {}, '_best_ema': 0.5, 'current_epoch': 1000,
                    'init_args': {'plans': plans, 'configuration': name, 'fold': 0, 'dataset_json': dataset,
                                  'device': torch.device('cpu')},
                    'trainer_name': 'nnUNetTrainer', 'inference_allowed_mirroring_axes': m['mirror']},
                   os.path.join(folder, 'fold_0', 'checkpoint_final.pth'))
        if name == '2d':
            pp = os.path.join(folder, 'crossval_results_folds_0')
            os.makedirs(pp, exist_ok=True)
            write_json(os.path.join(pp, 'postprocessing.json'), {
                'input_folder': {'foreground_mean': {'Dice': 0.5}, 'mean': {'1': {'Dice': 0.5}, '2': {'Dice': 0.5}}},
                'postprocessed': {'foreground_mean': {'Dice': 0.6}, 'mean': {'1': {'Dice': 0.6}, '2': {'Dice': 0.6}}},
                'postprocessing_fns': ['remove_all_but_largest_component_from_segmentation'] * 2,
                'postprocessing_kwargs': [{'labels_or_regions': [1, 2]}, {'labels_or_regions': 2}]})

        shape = [c['cin']] + ([1] if c['dims'] == 2 else []) + m['patch']  # c, (z,) y, x as read
        image = torch.randn(*shape) * 80 + 150
        image[image == 0] = 1.0
        if c['dims'] == 2:
            normalized = zscore(image)
        else:
            normalized = torch.stack([ct(image[0], FOREGROUND), zscore(image[1])])
        x = normalized[:, 0] if c['dims'] == 2 else normalized  # the 2D network sees one slice
        with torch.no_grad():
            probabilities = torch.softmax(net(x[None]), 1)[0]
            io[name + '_image'] = image
            io[name + '_probabilities'] = probabilities
            if c['dims'] == 2:
                flipped = torch.softmax(net(torch.flip(x[None], [3])), 1)[0]
                io[name + '_probabilities_mirrored'] = (probabilities + torch.flip(flipped, [2])) / 2
    torch.save(io, 'models_io.pth')
    torch2_layout(os.path.join('..', '..', 'io', 'torch', 'state_dict.pth'),
                  os.path.join('..', '..', 'io', 'torch', 'state_dict_torch2.pth'))


def torch2_layout(source, target):
    """A 1.13 checkpoint's records under 'archive/' with the records and alignment PyTorch 2.x adds."""
    with zipfile.ZipFile(source) as z:
        top = z.namelist()[0].split('/')[0]
        records = [(n[len(top) + 1:], z.read(n)) for n in z.namelist()]
    pickle = [r for r in records if r[0] == 'data.pkl']
    storages = [r for r in records if r[0].startswith('data/')]
    ordered = pickle + [('.format_version', b'1'), ('.storage_alignment', b'64'), ('byteorder', b'little')] \
        + storages + [('version', b'3\n'), ('.data/serialization_id', b'1012393883640183729600000231277484151137')]
    with open(target, 'wb') as f:
        central = []
        for name, data in ordered:
            full = ('archive/' + name).encode()
            offset = f.tell()
            header = 30 + len(full)
            pad = (-(offset + header + 4)) % 64  # the data start at a multiple of 64, after an 'FB' padding field
            extra = b'FB' + struct.pack('<H', pad) + b'Z' * pad
            crc = zipfile.crc32(data) & 0xffffffff
            f.write(struct.pack('<IHHHHHIIIHH', 0x04034b50, 20, 0, 0, 0, 0x21, crc, len(data), len(data),
                                len(full), len(extra)))
            f.write(full + extra)
            assert f.tell() % 64 == 0
            f.write(data)
            central.append((full, crc, len(data), offset))
        start = f.tell()
        for full, crc, size, offset in central:
            f.write(struct.pack('<IHHHHHHIIIHHHHHII', 0x02014b50, 20, 20, 0, 0, 0, 0x21, crc, size, size,
                                len(full), 0, 0, 0, 0, 0, offset))
            f.write(full)
        end = f.tell()
        f.write(struct.pack('<IHHHHIIH', 0x06054b50, 0, 0, len(central), len(central), end - start, start, 0))
    loaded = torch.load(target)  # PyTorch itself reads the file
    assert set(loaded.keys()) == set(torch.load(source).keys())


if __name__ == '__main__':
    os.chdir(os.path.dirname(os.path.abspath(__file__)))
    main()
