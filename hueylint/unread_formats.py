"""Configuration languages hueylint does not evaluate, and the notice a file of one naming the consumer gets.

Teams declare the consumer's launch in languages that only become a deployment when a tool evaluates them:
Terraform (HCL: an ECS task definition's ``command``, a ``kubernetes_deployment``, a ``nomad_job``'s jobspec)
Jsonnet (Kubernetes manifests written as ``.jsonnet``/``.libsonnet``, rendered by ``jsonnet``, tanka or
kubecfg; a startup script kept in a ConfigMap's ``data``) and Nix (a NixOS module's ``systemd.services.NAME``,
whose ``serviceConfig`` NixOS writes into a unit: systemd's defaults apply, SIGTERM then SIGKILL after
``TimeoutStopSec``, 90 s unless the manager's ``DefaultTimeoutStopSec`` says otherwise, systemd.kill(5) and
systemd-system.conf(5)).  hueylint never runs those tools, so it builds
no launch from such a file; silence would read as "checked and fine", so a file naming a consumer command
gets a notice at that line.  Nomad jobs, also HCL, are a supervisor: :func:`hueylint.unmodelled_supervisors.nomad_notice`.

The functions here read the text only: they run in discovery, before any file is parsed.
"""

from __future__ import annotations

from hueylint.unmodelled_supervisors import HCL_COMMENTS, consumer_at

#: the file name endings of each language (after a template suffix such as ``.j2`` is removed)
HCL_SUFFIXES = (".tf", ".hcl", ".nomad")
JSONNET_SUFFIXES = (".jsonnet", ".libsonnet")
NIX_SUFFIXES = (".nix",)


def unread_language(lower: str) -> str | None:
    """``?hcl``, ``?jsonnet`` or ``?nix`` for a file name (lower case) in one of these languages, else None."""
    if lower.endswith(HCL_SUFFIXES):
        return "?hcl"
    if lower.endswith(JSONNET_SUFFIXES):
        return "?jsonnet"
    if lower.endswith(NIX_SUFFIXES):
        return "?nix"
    return None


def unread_notice(kind: str, text: str) -> str | None:
    """The notice for a Terraform/HCL (``?hcl``), Jsonnet (``?jsonnet``) or Nix (``?nix``) file naming a consumer
    command outside a comment, or None."""
    at = consumer_at(text, HCL_COMMENTS)  # Jsonnet's line comments are `//` and `#` too, Nix's `#`
    if at is None:
        return None
    if kind == "?nix":
        if "systemd.services" in text or "serviceConfig" in text:
            return (f"{at} is run by a systemd service this Nix file declares (NixOS `systemd.services`), which "
                    "hueylint does not evaluate: its stop signal, deadline and restart are not checked "
                    "(`serviceConfig` becomes the unit: SIGTERM unless `KillSignal`, SIGKILL after `TimeoutStopSec`, "
                    "90 s by default; huey takes SIGTERM as \"stop now\" unless the consumer runs with `-g TERM`)")
        return (f"{at} is named in this Nix file, which hueylint does not evaluate: the launch it declares is "
                "not checked")
    if kind == "?jsonnet":
        return (f"{at} is named in this Jsonnet file, which hueylint does not evaluate: the launch in the "
                "manifests it renders is not checked (render them, `jsonnet -y FILE > rendered.yaml`, and check "
                "the output)")
    return (f"{at} is named in this HCL file (Terraform or another HashiCorp configuration), which hueylint "
            "does not evaluate: the launch it declares (an ECS task definition's `command`, a Kubernetes or "
            "Nomad resource) is not checked")
