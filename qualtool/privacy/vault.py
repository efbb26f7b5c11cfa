"""The owner's vault: originals of anonymised text, the pseudonym secret and numbering.

It lives outside the study folder (so never in git, never in a shared copy), one file per
study, found by the study id (`store.vault.study_uuid`): `$QUALTOOL_VAULT` or the user data
directory. The content is encrypted (Fernet: AES-128-CBC + HMAC-SHA256) with a key that comes
either from a key file (created next to the vault, mode 600, or given with --key-file /
`$QUALTOOL_VAULT_KEY_FILE`) or from a passphrase (scrypt; `$QUALTOOL_VAULT_PASSPHRASE` or
--passphrase). Without the key the vault is unreadable and restore refuses.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from pathlib import Path
from typing import Any

import platformdirs
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from qualtool.domain.errors import QualtoolError
from qualtool.i18n import _

FORMAT = "qualtool-vault"
_SCRYPT = {"n": 2**15, "r": 8, "p": 1}


class VaultLocked(QualtoolError):
    """The vault exists but cannot be opened with what was given."""


def vault_dir() -> Path:
    return (
        Path(os.environ.get("QUALTOOL_VAULT") or platformdirs.user_data_dir("qualtool")) / "vault"
    )


def vault_file(study_id: str) -> Path:
    return vault_dir() / f"{study_id}.vault"


def default_key_file(study_id: str) -> Path:
    env = os.environ.get("QUALTOOL_VAULT_KEY_FILE")
    return Path(env) if env else vault_dir() / f"{study_id}.key"


def _scrypt_key(passphrase: str, salt: bytes) -> bytes:
    raw = Scrypt(salt=salt, length=32, **_SCRYPT).derive(passphrase.encode())
    return base64.urlsafe_b64encode(raw)


def _private_write(path: Path, data: bytes) -> None:
    """Atomic and owner-only: a crash leaves the old vault, never half a new one."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    tmp.replace(path)


class Vault:
    def __init__(self, path: Path, header: dict[str, Any], fernet: Fernet,
                 data: dict[str, Any]) -> None:  # fmt: skip
        self.path = path
        self.header = header
        self._fernet = fernet
        self.data = data

    @property
    def secret(self) -> bytes:
        return bytes.fromhex(self.data["secret"])

    @property
    def applies(self) -> list[dict[str, Any]]:
        return self.data.setdefault("applies", [])

    @property
    def numbers(self) -> dict[str, dict[str, int]]:
        return self.data.setdefault("pseudonyms", {})

    def save(self) -> None:
        token = self._fernet.encrypt(json.dumps(self.data, ensure_ascii=False).encode())
        doc = {**self.header, "data": token.decode()}
        _private_write(self.path, json.dumps(doc).encode())


def exists(study_id: str) -> bool:
    return vault_file(study_id).exists()


def open_vault(
    study_id: str,
    *,
    passphrase: str | None = None,
    key_file: Path | None = None,
    create: bool = True,
) -> Vault:
    """Open (or create) the study's vault; `VaultLocked` when the key is missing or wrong."""
    passphrase = passphrase or os.environ.get("QUALTOOL_VAULT_PASSPHRASE") or None
    path = vault_file(study_id)
    key_path = key_file or default_key_file(study_id)
    if not path.exists():
        if not create:
            raise VaultLocked(
                _("this study has no vault ({path}): nothing to restore").format(path=path)
            )
        return _create(path, study_id, passphrase, key_path)
    try:
        header = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise VaultLocked(
            _("the vault {path} is unreadable ({error})").format(path=path, error=exc)
        ) from None
    kdf = header.get("kdf", {})
    if kdf.get("name") == "scrypt":
        if not passphrase:
            raise VaultLocked(
                _(
                    "this study's vault is protected by a passphrase: set "
                    "QUALTOOL_VAULT_PASSPHRASE or pass --passphrase"
                )
            )
        key = _scrypt_key(passphrase, base64.b64decode(kdf["salt"]))
    else:
        if not key_path.exists():
            raise VaultLocked(
                _(
                    "the vault's key file {path} is missing: only its holder can restore or "
                    "extend this study's anonymisation (pass --key-file)"
                ).format(path=key_path)
            )
        key = key_path.read_bytes().strip()
    try:
        fernet = Fernet(key)
        data = json.loads(fernet.decrypt(header["data"].encode()))
    except (InvalidToken, ValueError, KeyError):
        raise VaultLocked(
            _("wrong key or passphrase for this study's vault; nothing was changed")
        ) from None
    return Vault(path, {k: v for k, v in header.items() if k != "data"}, fernet, data)


def _create(path: Path, study_id: str, passphrase: str | None, key_path: Path) -> Vault:
    header: dict[str, Any] = {"format": FORMAT, "version": 1, "study": study_id}
    if passphrase:
        salt = secrets.token_bytes(16)
        header["kdf"] = {"name": "scrypt", "salt": base64.b64encode(salt).decode(), **_SCRYPT}
        key = _scrypt_key(passphrase, salt)
    else:
        header["kdf"] = {"name": "keyfile"}
        if key_path.exists():
            key = key_path.read_bytes().strip()
        else:
            key = Fernet.generate_key()
            _private_write(key_path, key + b"\n")
    vault = Vault(path, header, Fernet(key), {"secret": secrets.token_hex(32), "applies": []})
    vault.save()
    return vault
