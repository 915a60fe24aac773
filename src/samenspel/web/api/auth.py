from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request, Response

from samenspel.staff.access import access_session_by_bearer
from samenspel.staff.actions import do_login, do_logout
from samenspel.staff.schemas import LoginRequest, StaffPublic, TokenPublic
from samenspel.web.deps import ServicesDep, SessionDep, bearer_token

router = APIRouter(prefix="/auth", tags=["staff"])


@router.post("/token")
async def issue_token(data: LoginRequest, db: SessionDep, services: ServicesDep) -> TokenPublic:
    staff, token, _ = await do_login(
        db, data.email, data.password, kind="api", lifetime=timedelta(hours=services.settings.api_token_hours)
    )
    return TokenPublic(token=token, staff=StaffPublic.model_validate(staff))


@router.post("/logout", status_code=204)
async def revoke_token(request: Request, db: SessionDep) -> Response:
    """Revokes the bearer token the request carries."""
    _, session = await access_session_by_bearer(db, bearer_token(request) or "")
    await do_logout(db, session)
    return Response(status_code=204)
