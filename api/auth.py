"""``Authorization: Bearer qst_…``: a personal access token (``api.tokens``)."""

from rest_framework import authentication, exceptions

from api.tokens import token_for


class TokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Send one token: Authorization: Bearer <token>.")
        try:
            plain = header[1].decode()
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("The token is not valid.") from None
        token = token_for(plain)
        if token is None:
            raise exceptions.AuthenticationFailed("The token is not valid, expired or revoked.")
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword
