from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from zhongshu.web.lists import CappedPaginator


class Pagination(PageNumberPagination):
    """Like the screens: the total is counted up to 10,000 (`count_capped` says when there are more)."""

    django_paginator_class = CappedPaginator
    page_size = 50
    page_size_query_param = "size"
    max_page_size = 200
    invalid_page_message = "页码无效。"

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.paginator.count,
                "count_capped": self.page.paginator.capped,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        out = super().get_paginated_response_schema(schema)
        out["properties"]["count_capped"] = {"type": "boolean", "example": False}
        return out
