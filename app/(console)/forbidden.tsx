import { Forbidden } from "@/app/_components/forbidden";

/** Every refused console page (pageContext → forbidden()): HTTP 403, inside the console's frame. */
export default function ForbiddenPage() {
  return <Forbidden what="this page" />;
}
