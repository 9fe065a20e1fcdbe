"""Writes small U-Nets with the reference implementation's PlainConvUNet layer names and state-dict
layout, as ReferenceWeightsTest reads them.

Run with Debian's PyTorch (apt-get install python3-torch), from this folder:
    /usr/bin/python3 make_reference_unets.py
Per case (2d: isotropic; 3d: anisotropic kernels and strides) it writes
  CASE_plans.json        the configuration's "architecture" as the reference's plans.json holds it
  CASE_checkpoint.pth    the top level of the reference's checkpoints, network_weights included
  CASE_io.pth            {'input': a random batch, 'probabilities': the network's softmax}
Deterministic (fixed seeds); the network is built here from the module structure the reference
uses (conv -> instance norm -> leaky ReLU blocks kept also in 'all_modules', an encoder the decoder
holds too, strided convolutions, transposed convolutions with bias, 1x1 segmentation layers).
"""
import json
import os

import torch
from torch import nn


class ConvNormAct(nn.Module):
    def __init__(self, conv, cin, cout, kernel, stride, norm):
        super().__init__()
        self.conv = conv(cin, cout, kernel, stride, padding=[(k - 1) // 2 for k in kernel], bias=True)
        self.norm = norm(cout, eps=1e-5, affine=True)
        self.nonlin = nn.LeakyReLU(inplace=True)
        self.all_modules = nn.Sequential(self.conv, self.norm, self.nonlin)

    def forward(self, x):
        return self.all_modules(x)


class Stacked(nn.Module):
    def __init__(self, n, conv, cin, cout, kernel, stride, norm):
        super().__init__()
        self.convs = nn.Sequential(ConvNormAct(conv, cin, cout, kernel, stride, norm),
                                   *[ConvNormAct(conv, cout, cout, kernel, [1] * len(kernel), norm)
                                     for _ in range(1, n)])

    def forward(self, x):
        return self.convs(x)


class Encoder(nn.Module):
    def __init__(self, cin, features, conv, kernels, strides, n, norm):
        super().__init__()
        stages = []
        for s, f in enumerate(features):
            stages.append(nn.Sequential(Stacked(n, conv, cin, f, kernels[s], strides[s], norm)))
            cin = f
        self.stages = nn.Sequential(*stages)

    def forward(self, x):
        skips = []
        for s in self.stages:
            x = s(x)
            skips.append(x)
        return skips


class Decoder(nn.Module):
    def __init__(self, encoder, features, kernels, strides, n, classes, conv, transp, norm):
        super().__init__()
        self.encoder = encoder
        stages, ups, segs = [], [], []
        for s in range(1, len(features)):
            below, skip = features[-s], features[-(s + 1)]
            ups.append(transp(below, skip, strides[-s], strides[-s], bias=True))
            stages.append(Stacked(n, conv, 2 * skip, skip, kernels[-(s + 1)], [1] * len(strides[0]), norm))
            segs.append(conv(skip, classes, 1, 1, 0, bias=True))
        self.stages = nn.ModuleList(stages)
        self.transpconvs = nn.ModuleList(ups)
        self.seg_layers = nn.ModuleList(segs)

    def forward(self, skips):
        x = skips[-1]
        for s in range(len(self.stages)):
            x = self.stages[s](torch.cat((self.transpconvs[s](x), skips[-(s + 2)]), 1))
        return self.seg_layers[-1](x)


class PlainConvUNet(nn.Module):
    def __init__(self, cin, features, dims, kernels, strides, n, classes):
        super().__init__()
        conv, transp, norm = ((nn.Conv2d, nn.ConvTranspose2d, nn.InstanceNorm2d) if dims == 2
                              else (nn.Conv3d, nn.ConvTranspose3d, nn.InstanceNorm3d))
        self.encoder = Encoder(cin, features, conv, kernels, strides, n, norm)
        self.decoder = Decoder(self.encoder, features, kernels, strides, n, classes, conv, transp, norm)

    def forward(self, x):
        return self.decoder(self.encoder(x))


CASES = {
    '2d': dict(dims=2, cin=1, classes=3, features=[4, 8, 16], kernels=[[3, 3], [3, 3], [3, 3]],
               strides=[[1, 1], [2, 2], [2, 2]], n=2, input=(2, 1, 16, 12)),
    '3d': dict(dims=3, cin=2, classes=2, features=[4, 8, 12], kernels=[[1, 3, 3], [3, 3, 3], [3, 3, 3]],
               strides=[[1, 1, 1], [1, 2, 2], [2, 2, 2]], n=2, input=(1, 2, 4, 8, 12)),
}


def architecture(c):
    d = c['dims']
    return {
        'network_class_name': 'dynamic_network_architectures.architectures.unet.PlainConvUNet',
        'arch_kwargs': {
            'n_stages': len(c['features']), 'features_per_stage': c['features'],
            'conv_op': 'torch.nn.modules.conv.Conv%dd' % d, 'kernel_sizes': c['kernels'], 'strides': c['strides'],
            'n_conv_per_stage': [c['n']] * len(c['features']),
            'n_conv_per_stage_decoder': [c['n']] * (len(c['features']) - 1),
            'conv_bias': True, 'norm_op': 'torch.nn.modules.instancenorm.InstanceNorm%dd' % d,
            'norm_op_kwargs': {'eps': 1e-05, 'affine': True}, 'dropout_op': None, 'dropout_op_kwargs': None,
            'nonlin': 'torch.nn.LeakyReLU', 'nonlin_kwargs': {'inplace': True},
        },
        '_kw_requires_import': ['conv_op', 'norm_op', 'dropout_op', 'nonlin'],
    }


def main():
    for name, c in CASES.items():
        torch.manual_seed(7 if name == '2d' else 8)
        net = PlainConvUNet(c['cin'], c['features'], c['dims'], c['kernels'], c['strides'], c['n'], c['classes'])
        with torch.no_grad():
            for p_name, p in net.named_parameters():  # affine norms away from their 1/0 start
                if 'norm' in p_name:
                    p.add_(torch.randn_like(p) * 0.3)
        net.eval()
        x = torch.randn(*c['input'])
        with torch.no_grad():
            probabilities = torch.softmax(net(x), 1)
        configuration = '2d' if c['dims'] == 2 else '3d_fullres'
        plans = {'dataset_name': 'Dataset999_Fixture', 'plans_name': 'nnUNetPlans',
                 'configurations': {configuration: {'architecture': architecture(c)}}}
        with open(name + '_plans.json', 'w') as f:
            json.dump(plans, f, indent=1)
            f.write('\n')
        torch.save({'network_weights': net.state_dict(), 'optimizer_state': None, 'grad_scaler_state': None,
                    'logging': {}, '_best_ema': None, 'current_epoch': 1000,
                    'init_args': {'plans': plans, 'configuration': configuration, 'fold': 0,
                                  'device': torch.device('cpu')},
                    'trainer_name': 'nnUNetTrainer', 'inference_allowed_mirroring_axes': tuple(range(c['dims']))},
                   name + '_checkpoint.pth')
        torch.save({'input': x, 'probabilities': probabilities}, name + '_io.pth')


if __name__ == '__main__':
    os.chdir(os.path.dirname(os.path.abspath(__file__)))
    main()
