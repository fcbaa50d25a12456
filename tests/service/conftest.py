"""The service tests use the campaign fixtures: a grassroots clerk and reviewer and a
campaign with seed 000's composition rule addressed to both districts."""

from tests.campaigns.conftest import (  # noqa: F401 - fixtures shared with the service tests
    campaign,
    clerk_g,
    count_queries,
    photo_upload,
    reviewer_g,
)
