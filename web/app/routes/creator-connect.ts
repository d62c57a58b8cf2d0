// Placeholder until this route is built.
import { redirect } from 'react-router'

export function loader() {
  return redirect('/')
}
