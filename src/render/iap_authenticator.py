"""JupyterHub authenticator for hubs behind Google Identity-Aware Proxy (rendered by hubfleet).

IAP signs every request it lets through with an ES256 JWT in the x-goog-iap-jwt-assertion
header. The hub trusts that signature, not the unsigned identity headers beside it, so a request
that reaches the hub without passing IAP (from inside the cluster, or with a forged header) cannot
log in as anyone. There is no login form: /hub/login logs the user in straight from the header.

hubfleet embeds this file in hub.extraConfig, which z2jh exec()s inside jupyterhub_config.py;
the module registered at the bottom lets hub.config name the class by an import path.
"""
import asyncio
import json
import re
import sys
import time
import types

import jwt
from jupyterhub.auth import Authenticator
from tornado import web
from tornado.httpclient import AsyncHTTPClient
from traitlets import Bool, Integer, List, Unicode, default, validate

IAP_ASSERTION_HEADER = "x-goog-iap-jwt-assertion"
IAP_ISSUER = "https://cloud.google.com/iap"
IAP_KEYS_URL = "https://www.gstatic.com/iap/verify/public_key-jwk"
# IAP signs with ES256 only; naming it closes the door on alg=none and HMAC-with-the-public-key.
IAP_ALGORITHM = "ES256"
# A real assertion is about 1 KB; anything far larger is not one and is not worth parsing.
MAX_ASSERTION_BYTES = 16384


class IAPAssertionError(Exception):
    """An assertion that must not log anyone in; status is the HTTP answer (401 or 403)."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


class HubfleetIAPAuthenticator(Authenticator):
    project_number = Unicode(
        "",
        config=True,
        help="Number of the GCP project whose IAP-protected backend service fronts this hub.",
    )
    audience = Unicode(
        "",
        config=True,
        help="Exact expected aud (/projects/N/global/backendServices/ID), once the ID is known.",
    )
    keys_url = Unicode(
        IAP_KEYS_URL,
        config=True,
        help="JWK set of the keys IAP signs with.",
    )
    keys_max_age = Integer(
        3600,
        config=True,
        help="Seconds a fetched key set is used before it is fetched again (Google rotates keys).",
    )
    keys_min_refetch_interval = Integer(
        60,
        config=True,
        help="Least seconds between fetches caused by an unknown key ID, so forged kids cannot flood Google.",
    )
    leeway = Integer(
        30,
        config=True,
        help="Seconds of clock skew allowed when checking exp and iat.",
    )
    allowed_domains = List(
        Unicode(),
        config=True,
        help="Email domains let in (exact, lowercase; no subdomains). Empty: everyone IAP lets through.",
    )

    # The header is present on every browser request, so logging in needs no form and no click.
    @default("auto_login")
    def _default_auto_login(self):
        return True

    # Re-check the header's identity against the cookie's user every so often: when a browser
    # switches Google accounts, IAP vouches for the new one while the hub cookie still names the old.
    @default("auth_refresh_age")
    def _default_auth_refresh_age(self):
        return 30

    # IAP's member list already decides who gets through; JupyterHub 5 otherwise allows nobody.
    if "allow_all" in Authenticator.class_trait_names():
        allow_all = Bool(True, config=True, help="Allow every identity IAP lets through.")

    @validate("project_number")
    def _validate_project_number(self, proposal):
        value = proposal["value"]
        if value and not re.fullmatch(r"[0-9]+", value):
            raise ValueError(f"project_number must be the numeric project number, not {value!r}")
        return value

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # Fail at start-up, not at the first login: without an audience to pin, any IAP-protected
        # backend in any project could mint a token this hub would accept.
        if not self.project_number and not self.audience:
            raise ValueError(
                "HubfleetIAPAuthenticator needs project_number (or audience) to check the IAP audience"
            )
        self._keys = {}
        self._keys_fetched_at = None
        self._keys_lock = asyncio.Lock()

    async def authenticate(self, handler, data=None):
        # Form data is ignored on purpose: the signed header is the only identity there is.
        try:
            claims = await self.verify_assertion(handler.request.headers.get(IAP_ASSERTION_HEADER))
            name = self.username_for(claims["email"])
            self._check_domain(name)
        except IAPAssertionError as e:
            self.log.warning("IAP login refused (%s): %s", e.status, e.message)
            raise web.HTTPError(e.status, "%s", e.message)
        # admin_users (iap.admins) is authoritative: an explicit False takes admin away from someone
        # no longer listed at their next login (JupyterHub's auth_to_user leaves admin alone only
        # when it is None, which is what Authenticator.is_admin says for unlisted users).
        return {"name": name, "admin": name in self.admin_users}

    @staticmethod
    def username_for(email):
        """The JupyterHub username of an IAP identity: the whole email, lowercased, nothing else.

        Nothing is replaced or dropped, so two emails never share a username (a.b@x.org and a_b@x.org
        stay two users); KubeSpawner derives pod and PVC names from it collision-free on its own
        (slugs.py safe_slug: an invalid name becomes its stripped form plus a hash of the whole name).
        """
        return email.lower()

    def _check_domain(self, name):
        if not self.allowed_domains:
            return
        domain = name.rsplit("@", 1)[-1]
        if domain not in self.allowed_domains:
            raise IAPAssertionError(
                403,
                f"{name} is not in a domain this hub allows ({', '.join(self.allowed_domains)})",
            )

    async def refresh_user(self, user, handler=None):
        # Requests from inside the cluster (a user server calling the hub API with its token) do
        # not pass IAP and carry no assertion; only a request that does carry one is checked.
        assertion = handler.request.headers.get(IAP_ASSERTION_HEADER) if handler is not None else None
        if assertion is None:
            return True
        try:
            claims = await self.verify_assertion(assertion)
        except IAPAssertionError as e:
            self.log.warning("IAP session of %s ended (%s): %s", user.name, e.status, e.message)
            return False
        if self.normalize_username(self.username_for(claims["email"])) != user.name:
            self.log.warning("IAP identity changed from %s; logging in again", user.name)
            return False
        # A domain dropped from allowedDomains ends its users' sessions too, not only new logins.
        try:
            self._check_domain(user.name)
        except IAPAssertionError as e:
            self.log.warning("IAP session of %s ended (%s): %s", user.name, e.status, e.message)
            return False
        return True

    async def verify_assertion(self, assertion):
        """The assertion's claims, or IAPAssertionError saying why it cannot log anyone in."""
        if not assertion:
            raise IAPAssertionError(
                401,
                f"no {IAP_ASSERTION_HEADER} header: this hub only accepts requests through Identity-Aware Proxy",
            )
        if len(assertion) > MAX_ASSERTION_BYTES:
            raise IAPAssertionError(401, f"{IAP_ASSERTION_HEADER} is too large to be an IAP assertion")
        try:
            header = jwt.get_unverified_header(assertion)
        except jwt.PyJWTError as e:
            raise IAPAssertionError(401, f"{IAP_ASSERTION_HEADER} is not a JWT ({e})")
        if header.get("alg") != IAP_ALGORITHM:
            raise IAPAssertionError(
                401, f"IAP assertion uses alg {header.get('alg')!r}; IAP signs with {IAP_ALGORITHM}"
            )
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise IAPAssertionError(401, "IAP assertion has no key ID (kid)")
        key = await self._signing_key(kid)
        try:
            claims = jwt.decode(
                assertion,
                key=key.key,
                algorithms=[IAP_ALGORITHM],
                issuer=IAP_ISSUER,
                leeway=self.leeway,
                # aud is checked below: only its project part is known before the first deploy.
                options={"require": ["exp", "iat", "iss", "aud"], "verify_aud": False},
            )
        except jwt.PyJWTError as e:
            raise IAPAssertionError(401, f"IAP assertion rejected: {e}")
        iat = claims.get("iat")
        # Older PyJWT checks only that iat is a number; a token from the future is not IAP's.
        if not isinstance(iat, (int, float)) or iat > time.time() + self.leeway:
            raise IAPAssertionError(401, "IAP assertion rejected: iat is in the future")
        self._check_audience(claims.get("aud"))
        email = claims.get("email")
        if not isinstance(email, str) or "@" not in email:
            raise IAPAssertionError(403, "IAP assertion carries no email for the user")
        return claims

    def _check_audience(self, aud):
        if not isinstance(aud, str):
            raise IAPAssertionError(403, "IAP assertion has no audience")
        if self.audience:
            if aud != self.audience:
                raise IAPAssertionError(
                    403, f"IAP assertion is for {aud!r}, not this hub's backend {self.audience!r}"
                )
            return
        prefix = f"/projects/{self.project_number}/global/backendServices/"
        if not (aud.startswith(prefix) and re.fullmatch(r"[0-9]+", aud[len(prefix):])):
            raise IAPAssertionError(
                403, f"IAP assertion is for {aud!r}, not a backend service of project {self.project_number}"
            )

    async def _signing_key(self, kid):
        async with self._keys_lock:
            now = time.monotonic()
            age = None if self._keys_fetched_at is None else now - self._keys_fetched_at
            stale = age is None or age > self.keys_max_age
            # An unknown kid may mean Google rotated keys; refetch, but at a bounded rate.
            unknown = kid not in self._keys and (age is None or age > self.keys_min_refetch_interval)
            if stale or unknown:
                await self._fetch_keys(now)
        key = self._keys.get(kid)
        if key is None:
            raise IAPAssertionError(401, f"IAP assertion is signed with unknown key {kid!r}")
        return key

    async def _fetch_keys(self, now):
        try:
            response = await AsyncHTTPClient().fetch(self.keys_url, request_timeout=10)
            keys = {}
            for jwk in json.loads(response.body).get("keys", []):
                if jwk.get("kty") != "EC" or jwk.get("crv") != "P-256" or not jwk.get("kid"):
                    continue
                keys[jwk["kid"]] = jwt.PyJWK(jwk, IAP_ALGORITHM)
        except Exception as e:
            # Keep the keys we have: a brief outage at Google must not log everyone out.
            self.log.error("cannot fetch IAP keys from %s: %s", self.keys_url, e)
            if not self._keys:
                raise IAPAssertionError(503, f"cannot fetch the IAP signing keys from {self.keys_url}")
            self._keys_fetched_at = now
            return
        self._keys = keys
        self._keys_fetched_at = now


# z2jh exec()s hub.extraConfig inside jupyterhub_config.py, where a class defined here has no import
# path; a registered module gives hub.config one: hubfleet_iap.HubfleetIAPAuthenticator.
_hubfleet_iap = types.ModuleType("hubfleet_iap")
_hubfleet_iap.HubfleetIAPAuthenticator = HubfleetIAPAuthenticator
_hubfleet_iap.IAPAssertionError = IAPAssertionError
sys.modules["hubfleet_iap"] = _hubfleet_iap
