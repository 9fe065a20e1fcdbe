"""Writes the PyTorch checkpoint fixtures of TorchCheckpointTest and their expected values.

Run with Debian's PyTorch (apt-get install python3-torch), from this folder:
    /usr/bin/python3 make_checkpoints.py
Deterministic (fixed seeds). Writes state_dict.pth, reference_like.pth, malicious.pth, link.pth
and expected.json (per tensor of each file: dtype, shape, sum and the first values in row-major
order).
"""
import collections
import json
import os
import zipfile

import numpy as np
import torch
from torch import nn


class Block(nn.Module):
    """Conv + instance norm named as the reference's blocks, both also held in all_modules."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv3d(2, 4, (1, 3, 3), padding=(0, 1, 1), bias=True)
        self.norm = nn.InstanceNorm3d(4, eps=1e-5, affine=True)
        self.all_modules = nn.Sequential(self.conv, self.norm)


def state_dict_fixture():
    torch.manual_seed(1)
    sd = Block().state_dict()  # an OrderedDict with _metadata; conv and all_modules.0 share storages
    base = torch.arange(60, dtype=torch.float32).reshape(6, 10) / 7
    sd['transposed'] = base.t()                    # strides (1, 10)
    sd['sliced'] = base[2:5, 3:9:2]                 # offset 23, strides (10, 2)
    sd['half'] = torch.linspace(-2, 2, 9).to(torch.float16).reshape(3, 3)
    sd['bfloat16'] = torch.linspace(-1, 3, 5).to(torch.bfloat16)
    sd['double'] = torch.tensor([[1.25, -2.5], [1e-3, 4.0]], dtype=torch.float64)
    sd['long'] = torch.tensor([3, -7, 1 << 20], dtype=torch.int64)
    sd['scalar'] = torch.tensor(2.5)
    return sd


def reference_like_fixture():
    """The top level of the reference's checkpoints (nnUNetTrainer.save_checkpoint)."""
    torch.manual_seed(2)
    net = nn.Sequential(collections.OrderedDict(conv=nn.Conv2d(1, 3, 3, padding=1), norm=nn.InstanceNorm2d(3, affine=True)))
    opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.99, nesterov=True, weight_decay=3e-5)
    net(torch.randn(2, 1, 8, 8)).sum().backward()
    opt.step()
    weights = net.state_dict()
    weights['alias.weight'] = weights['conv.weight']  # one tensor under two names
    return {
        'network_weights': weights,
        'optimizer_state': opt.state_dict(),
        'grad_scaler_state': None,
        'logging': {'mean_fg_dice': [np.float64(0.25), np.float64(0.5)], 'train_losses': [0.75, -0.125],
                    'epoch_end_timestamps': [1700000000.5, 1700000100.25]},
        '_best_ema': np.float64(0.375),
        'current_epoch': 2,
        'init_args': {'plans': {'dataset_name': 'Dataset001_Test', 'configurations': {'2d': {'patch_size': [8, 8]}}},
                      'configuration': '2d', 'fold': 0, 'dataset_json': {'labels': {'background': 0, 'a': 1}},
                      'unpack_dataset': True, 'device': torch.device('cpu'), 'big': 1 << 40, 'neg': -5,
                      'bytes': b'\x00\xffab', 'flag': False, 'float32': np.float32(1.5), 'int64': np.int64(-3)},
        'trainer_name': 'nnUNetTrainer',
        'inference_allowed_mirroring_axes': (0, 1),
    }


def summary(tensors):
    out = {}
    for name, t in tensors.items():
        flat = t.detach().to(torch.float64).reshape(-1)
        out[name] = {'dtype': str(t.dtype).replace('torch.', ''), 'shape': list(t.shape),
                     'sum': float(flat.sum()), 'first': [float(v) for v in flat[:6]]}
    return out


def handmade_pickle_zip(path, pickle_bytes):
    """A zip in torch.save's layout whose data.pkl holds the given pickle."""
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_STORED) as z:
        z.writestr('archive/data.pkl', pickle_bytes)
        z.writestr('archive/version', '3\n')


def main():
    expected = {}
    sd = state_dict_fixture()
    torch.save(sd, 'state_dict.pth')
    expected['state_dict.pth'] = summary(sd)
    ref = reference_like_fixture()
    torch.save(ref, 'reference_like.pth', _use_new_zipfile_serialization=True)
    expected['reference_like.pth'] = {
        'network_weights': summary(ref['network_weights']),
        'momentum_buffer_0': summary({'m': ref['optimizer_state']['state'][0]['momentum_buffer']})['m'],
    }
    # PROTO 2, GLOBAL 'os system', SHORT_BINSTRING 'touch pwned', TUPLE1, REDUCE, STOP
    command = b'touch pwned'
    handmade_pickle_zip('malicious.pth', b'\x80\x02cos\nsystem\nU' + bytes([len(command)]) + command + b'\x85R.')
    with zipfile.ZipFile('link.pth', 'w', zipfile.ZIP_STORED) as z:
        z.writestr('archive/data.pkl', b'\x80\x02}q\x00.')
        link = zipfile.ZipInfo('archive/data/0')
        link.create_system = 3
        link.external_attr = (0o120777 << 16)
        z.writestr(link, '/etc/passwd')
    with open('expected.json', 'w') as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write('\n')


if __name__ == '__main__':
    os.chdir(os.path.dirname(os.path.abspath(__file__)))
    main()
