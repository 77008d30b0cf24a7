"""API token authentication (Authorization: Token <key>) against accounts.ApiToken.

Only the SHA-256 of a token is stored; expired tokens are refused; the person's account must be active and obey
the same policy as a signed-in page (三员 TOTP enrolment, password expiry or reset → a JSON 403 saying what to do).
"""

from __future__ import annotations

from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from .middleware import policy_problem


class PolicyRefused(exceptions.APIException):
    status_code = 403


class ApiTokenAuthentication(TokenAuthentication):
    keyword = "Token"

    def authenticate_credentials(self, key):
        from .services import token_find

        token = token_find(key)
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed()
        problem = policy_problem(token.user)
        if problem is not None:
            raise PolicyRefused(detail=problem.message, code=problem.code)
        from zhongshu.core.context import current_user_id

        current_user_id.set(token.user.pk)  # reset by SecurityPolicyMiddleware at the end of the request
        return (token.user, token)
